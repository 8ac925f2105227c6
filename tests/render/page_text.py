"""What a reader of the HTML page sees, read with the standard library's parser."""

from __future__ import annotations

from html.parser import HTMLParser

_HIDDEN = {"script", "style", "title"}
_VOID = {"br", "input", "meta", "img", "hr", "link", "col", "area", "base", "embed", "source", "track", "wbr"}


class PageText(HTMLParser):
    """The visible text of a page, the messages (``div.msg``) and every tag and attribute met."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.messages: list[dict[str, str]] = []
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self._hidden = 0
        self._open: list[str] = []
        self.feed(page)
        self.close()

    @property
    def text(self) -> str:
        return "".join(self.chunks)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(name, value or "") for name, value in attrs]
        found = {name: value or "" for name, value in attrs}
        if tag == "div" and "msg" in found.get("class", "").split():
            self.messages.append(found)
        if tag in _VOID:
            return
        self._open.append(tag)
        if tag in _HIDDEN:
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:
            while self._open:
                closed = self._open.pop()
                if closed in _HIDDEN:
                    self._hidden -= 1
                if closed == tag:
                    break

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.chunks.append(data)
