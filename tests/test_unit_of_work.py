"""The unit of work: what waits for the commit runs after it, and never after a rollback."""

import pytest

from forum.extensions import db
from forum.unit_of_work import after_commit, unit_of_work


@pytest.fixture
def heard(app_ctx):
    return []


def test_what_waits_for_the_commit_runs_once_after_it(heard):
    after_commit(heard.append, 'sent')
    assert heard == []
    db.session.commit()
    assert heard == ['sent']
    db.session.commit()
    assert heard == ['sent']


def test_a_rollback_drops_what_waited_for_the_commit(heard):
    after_commit(heard.append, 'never')
    db.session.rollback()
    db.session.commit()
    assert heard == []


def test_a_savepoint_rolled_back_drops_only_its_own(heard):
    after_commit(heard.append, 'outer')
    try:
        with db.session.begin_nested():
            after_commit(heard.append, 'inner')
            raise RuntimeError('refused inside the savepoint')
    except RuntimeError:
        pass
    with db.session.begin_nested():
        after_commit(heard.append, 'kept inner')
    db.session.commit()
    assert heard == ['outer', 'kept inner']


def test_a_failing_callback_does_not_undo_the_commit_nor_stop_the_others(heard, caplog):
    def broken():
        raise ConnectionError('the message queue is away')

    after_commit(broken)
    after_commit(heard.append, 'still sent')
    db.session.commit()
    assert heard == ['still sent']
    assert 'After-commit callback' in caplog.text


def test_a_unit_of_work_that_fails_keeps_nothing_and_sends_nothing(app, create_forum):
    forum = create_forum()
    heard = []
    with pytest.raises(LookupError), app.app_context():
        with unit_of_work():
            from forum.forums.models import Forum

            db.session.get(Forum, forum.id).title = 'Đổi tên rồi lỗi'
            after_commit(heard.append, 'renamed')
            raise LookupError('something went wrong after the change')
    with app.app_context():
        from forum.forums.models import Forum

        assert db.session.get(Forum, forum.id).title == forum.title
    assert heard == []


def test_a_request_keeps_its_change_only_when_its_view_answers_below_400(app, client, create_forum):
    """A form shown again with its errors (422) and a refusal a page shows itself (a redirect
    after ``refused()``) keep nothing and send nothing; a successful answer keeps and sends."""
    from forum.extensions import csrf
    from forum.forums.models import Forum
    from forum.unit_of_work import refused

    forum = create_forum()
    heard = []

    def renaming(title, status, *, refuse=False):
        def view():
            db.session.get(Forum, forum.id).title = title
            after_commit(heard.append, title)
            if refuse:
                refused()
            return 'answered', status

        view.__name__ = f'rename_{status}_{refuse}'
        return csrf.exempt(view)

    app.add_url_rule('/test/again', view_func=renaming('Shown again', 422), methods=['POST'])
    app.add_url_rule(
        '/test/refused', view_func=renaming('Refused', 303, refuse=True), methods=['POST']
    )
    app.add_url_rule('/test/kept', view_func=renaming('Kept', 200), methods=['POST'])

    def title():
        with app.app_context():
            return db.session.get(Forum, forum.id).title

    assert client.post('/test/again').status_code == 422
    assert client.post('/test/refused').status_code == 303
    assert (title(), heard) == (forum.title, [])
    assert client.post('/test/kept').status_code == 200
    assert (title(), heard) == ('Kept', ['Kept'])
