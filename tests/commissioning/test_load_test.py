"""The load test's own arithmetic and refusals (its figures come from running it: README)."""

import pytest
from django.core.management import CommandError, call_command

from commissioning.management.commands.load_test import percentile


def test_percentile_is_the_nearest_rank():
    times = [float(n) for n in range(1, 101)]  # 1 to 100
    # 0.95 of the 99 steps from the first to the last is 94.05, rounded to 94: the 95th value.
    assert percentile(times, 0.95) == 95.0
    assert percentile(times, 0.5) == 51.0  # 49.5 rounds to the even 50: the 51st value
    assert percentile([3.0], 0.95) == 3.0


@pytest.mark.django_db
def test_it_refuses_a_user_who_does_not_exist():
    with pytest.raises(CommandError, match="No user 'nobody'"):
        call_command("load_test", "--user", "nobody", "--seconds", "1")
