"""A coalescer stands for one sender at one interval: asking for it otherwise is refused."""

import pytest

from forum.live.coalesce import coalescer, stop_coalescers


def test_a_coalescer_is_one_sender_at_one_interval(app):
    sent = []

    def send(key):
        sent.append(key)

    def other(key):
        sent.append(('other', key))

    with app.test_request_context():
        first = coalescer('test-sends', send, 0.05)
        assert coalescer('test-sends', send, 0.05) is first
        with pytest.raises(ValueError, match='test-sends'):
            coalescer('test-sends', other, 0.05)
        with pytest.raises(ValueError, match='every 0.05 s'):
            coalescer('test-sends', send, 1.0)
    stop_coalescers(app)
