"""Hypothesis profiles of the fuzz suite.

The profiles are registered here and never loaded here: loading one would change
the settings of every other hypothesis test in the session. The fuzz tests derive
their own ``@settings`` from whichever profile is active (see ``fuzz_settings`` in
``test_fuzz_cli.py``), so:

- ``pytest tests/fuzz`` runs the "ci" profile: a few thousand examples in all,
  derandomized, the same examples on every run and every machine;
- ``pytest --hypothesis-profile=long tests/fuzz`` runs fifty times as many, with a
  fresh random seed each time; the folder must be named on the command line so
  that this conftest is read before hypothesis' plugin loads the profile.
"""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, settings

# Examples per unit of test weight; test_fuzz_cli.py gives each test a weight.
CI_EXAMPLES = 100
LONG_FACTOR = 50

_SUPPRESSED = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]

settings.register_profile(
    "ci",
    max_examples=CI_EXAMPLES,
    deadline=None,
    derandomize=True,
    # No example database: a stored failure would be replayed first and change which
    # examples a CI run tries.
    database=None,
    print_blob=False,
    # The explain phase reruns failing examples many times to annotate them; with
    # several known bugs open it would dominate the run time.
    phases=(Phase.explicit, Phase.generate, Phase.shrink),
    suppress_health_check=_SUPPRESSED,
)
settings.register_profile(
    "long",
    max_examples=CI_EXAMPLES * LONG_FACTOR,
    deadline=None,
    derandomize=False,
    print_blob=True,
    phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink),
    suppress_health_check=_SUPPRESSED,
)
