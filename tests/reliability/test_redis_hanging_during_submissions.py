"""Redis hangs instead of stopping (a frozen host, a failover in progress, a connection a firewall
dropped: the TCP connection stays open and nothing answers): submissions must still be
acknowledged within seconds and stored (DESIGN §8, "lost work"; §9).

Without socket timeouts on the cache and the broker (config/settings.py), and with a refresh
queued even when the debounce mark had already found Redis unavailable (analysis.services),
redis-py waited 5 s on each of the request's cache calls and kombu forever on the publish of the
refresh, so gunicorn killed the request after 30 s and the young person got a 500 for answers
that were stored. (A Redis that is down, refusing connections, is
test_redis_stopped_during_submissions.py.)
"""

from __future__ import annotations

import pytest

from tests.reliability.conftest import (
    assert_acknowledged_and_stored_once,
    post_json,
    process_env,
    submission,
    submit_url,
    web_server,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

DURING = 2
PATIENCE = 10  # seconds a phone waits for its receipt; gunicorn gives up on a request at 30


def test_submissions_while_redis_hangs_are_acknowledged_within_seconds_and_stored(
    survey, private_redis, tmp_path
):
    env = process_env(
        redis_url=private_redis.url,
        application_name="reliability-web",
        settings_module="config.settings",
    )
    with web_server(env=env, log=tmp_path / "web.log") as web:
        url = submit_url(web, survey)
        # Connections to Redis are open before it hangs.
        assert post_json(url, submission(0)).status == 201

        private_redis.freeze()
        try:
            during = {}
            for number in range(1, 1 + DURING):
                body = submission(number)
                during[body["client_token"]] = post_json(url, body, timeout=PATIENCE)
        finally:
            private_redis.thaw()

    assert_acknowledged_and_stored_once(during)
