"""The live queue through the API: sending, moderating, ordering, merging, voting."""

from forum.auth.models import UserRole
from forum.extensions import db
from forum.qa.models import Question, QuestionStatus


def statuses(app, forum_id):
    with app.app_context():
        return {
            q.id: q.status
            for q in db.session.scalars(db.select(Question).where(Question.forum_id == forum_id))
        }


def test_a_delegate_sends_a_question_that_waits_for_a_moderator(app, hall, ask):
    response = ask(hall, hall.thao, kind='proposal', mode='oral')
    assert response.status_code == 201
    assert response.json['status'] == 'pending'
    with app.app_context():
        question = db.session.get(Question, response.json['id'])
        assert (question.author_name, question.venue_id) == ('Nguyễn Thị Thảo', hall.district.id)
        assert (question.kind.value, question.mode.value) == ('proposal', 'oral')


def test_an_operator_registers_an_item_for_someone_in_the_room(app, client, hall, api_token):
    response = client.post(
        f'/api/v1/forums/{hall.forum.id}/questions',
        json={
            'text': 'Đăng ký phát biểu về chuyển đổi số',
            'mode': 'oral',
            'venue_id': hall.district.id,
            'author_name': 'Hoàng Văn Nam',
            'author_position': 'Bí thư Đoàn xã',
        },
        headers=api_token(hall.operator),
    )
    assert response.status_code == 201
    with app.app_context():
        question = db.session.get(Question, response.json['id'])
        assert (question.author_name, question.submitted_by_id) == (
            'Hoàng Văn Nam',
            hall.operator.id,
        )


def test_an_operator_cannot_register_for_another_point(client, hall, api_token):
    response = client.post(
        f'/api/v1/forums/{hall.forum.id}/questions',
        json={'text': 'Ý kiến', 'venue_id': hall.hub.id, 'author_name': 'Ai đó'},
        headers=api_token(hall.operator),
    )
    assert response.status_code == 403


def test_length_and_rate_limits(app, hall, ask):
    assert ask(hall, hall.thao, text='ab').json['error']['code'] == 'too_short'
    assert ask(hall, hall.thao, text='x' * 1001).json['error']['code'] == 'too_long'
    for number in range(3):
        assert ask(hall, hall.thao, text=f'Câu hỏi số {number}').status_code == 201
    limited = ask(hall, hall.thao, text='Câu hỏi số 4')
    assert limited.status_code == 429
    assert limited.json['error']['code'] == 'rate_limited'
    assert ask(hall, hall.binh, text='Người khác vẫn gửi được').status_code == 201


def test_profanity_is_held_for_a_moderator(app, hall, ask):
    clean = ask(hall, hall.thao, text='Mua lon bia cho hội nghị?').json['id']
    dirty = ask(hall, hall.binh, text='Đồ khốn nạn, trả lời đi').json['id']
    with app.app_context():
        assert db.session.get(Question, clean).held_for_review is False
        assert db.session.get(Question, dirty).held_for_review is True


def test_user_text_is_escaped_never_html(client, app, hall, ask, moderate, create_user, sign_in):
    question_id = ask(hall, hall.thao, text='<script>alert(1)</script> có được không?').json['id']
    moderate(hall, question_id, status='approved')
    page = client.get(f'/i/{hall.binh.code}').get_data(as_text=True)
    assert '<script>alert(1)</script>' not in page


def test_moderation_moves(app, hall, ask, moderate):
    question_id = ask(hall, hall.thao).json['id']
    assert moderate(hall, question_id, status='current').status_code == 409  # not approved yet
    assert moderate(hall, question_id, status='approved').json['status'] == 'approved'
    assert moderate(hall, question_id, status='current').json['status'] == 'current'
    answered = moderate(
        hall,
        question_id,
        status='answered',
        answered_by='Giám đốc Sở TT&TT',
        response='Sở sẽ tổng hợp và tham mưu UBND tỉnh.',
    ).json
    assert (answered['status'], answered['answered_by']) == ('answered', 'Giám đốc Sở TT&TT')
    assert answered['response'] == 'Sở sẽ tổng hợp và tham mưu UBND tỉnh.'
    assert moderate(hall, question_id, status='approved').json['status'] == 'approved'  # undo


def test_one_item_on_screen_at_a_time(app, hall, ask, moderate):
    first, second = ask(hall, hall.thao).json['id'], ask(hall, hall.binh).json['id']
    for question_id in (first, second):
        moderate(hall, question_id, status='approved')
    moderate(hall, first, status='current')
    moderate(hall, second, status='current')
    assert statuses(app, hall.forum.id) == {
        first: QuestionStatus.APPROVED,
        second: QuestionStatus.CURRENT,
    }


def test_editing_keeps_the_original_text(app, hall, ask, moderate):
    question_id = ask(hall, hall.thao, text='kinh phi truyen thong o dau').json['id']
    moderate(hall, question_id, text='Kinh phí truyền thông ở đâu?')
    with app.app_context():
        question = db.session.get(Question, question_id)
        assert (question.text, question.original_text) == (
            'Kinh phí truyền thông ở đâu?',
            'kinh phi truyen thong o dau',
        )


def test_reordering_puts_an_item_where_it_was_dropped(client, hall, ask, moderate, api_token):
    ids = [
        ask(hall, d, text=f'Câu hỏi của {d.full_name}').json['id']
        for d in (hall.thao, hall.binh, hall.sang)
    ]
    for question_id in ids:
        moderate(hall, question_id, status='approved')
    moderate(hall, ids[2], position=0)
    listed = client.get(
        f'/api/v1/forums/{hall.forum.id}/questions', headers=api_token(hall.moderator)
    ).json['items']
    assert [q['id'] for q in listed] == [ids[2], ids[0], ids[1]]


def test_one_vote_each_and_order_by_votes(client, hall, ask, moderate):
    first, second = ask(hall, hall.thao).json['id'], ask(hall, hall.binh).json['id']
    moderate(hall, first, status='approved')
    moderate(hall, second, status='approved')
    vote = lambda question_id, delegate: client.post(  # noqa: E731
        f'/api/v1/questions/{question_id}/votes', json={'code': delegate.code}
    )
    assert vote(second, hall.thao).status_code == 201
    assert vote(second, hall.sang).status_code == 201
    again = vote(second, hall.sang)
    assert again.status_code == 409
    assert again.json['error']['code'] == 'already_voted'
    by_votes = client.get(
        f'/api/v1/forums/{hall.forum.id}/questions',
        query_string={'order': 'votes', 'code': hall.sang.code},
    ).json
    assert [(q['id'], q['votes']) for q in by_votes['items']] == [(second, 2), (first, 0)]


def test_pending_items_cannot_be_voted_for(client, hall, ask):
    question_id = ask(hall, hall.thao).json['id']
    response = client.post(f'/api/v1/questions/{question_id}/votes', json={'code': hall.binh.code})
    assert response.status_code == 409


def test_merging_moves_votes_and_hides_the_duplicate(client, app, hall, ask, moderate, api_token):
    target, duplicate = ask(hall, hall.thao).json['id'], ask(hall, hall.binh).json['id']
    moderate(hall, target, status='approved')
    moderate(hall, duplicate, status='approved')
    client.post(f'/api/v1/questions/{duplicate}/votes', json={'code': hall.sang.code})
    response = client.post(
        f'/api/v1/questions/{target}/merge',
        json={'duplicates': [duplicate]},
        headers=api_token(hall.moderator),
    )
    assert response.status_code == 200
    assert response.json['votes'] == 1
    public = client.get(
        f'/api/v1/forums/{hall.forum.id}/questions', query_string={'code': hall.sang.code}
    ).json['items']
    assert [q['id'] for q in public] == [target]


def test_the_audience_never_sees_pending_or_dismissed_items(client, hall, ask, moderate):
    pending = ask(hall, hall.thao).json['id']
    dismissed = ask(hall, hall.binh).json['id']
    approved = ask(hall, hall.sang).json['id']
    moderate(hall, dismissed, status='dismissed')
    moderate(hall, approved, status='approved')
    public = client.get(
        f'/api/v1/forums/{hall.forum.id}/questions', query_string={'code': hall.thao.code}
    ).json['items']
    assert [q['id'] for q in public] == [approved]
    assert pending not in [q['id'] for q in public]


def test_names_are_hidden_from_the_audience_when_the_forum_says_so(
    app, client, hall, ask, moderate
):
    from forum.forums.models import Forum

    question_id = ask(hall, hall.thao).json['id']
    moderate(hall, question_id, status='approved')
    with app.app_context():
        db.session.get(Forum, hall.forum.id).questions_show_names = False
        db.session.commit()
    public = client.get(
        f'/api/v1/forums/{hall.forum.id}/questions', query_string={'code': hall.binh.code}
    ).json['items']
    assert public[0]['author'] is None
    assert public[0]['venue']['name'] == 'Thành phố Hà Giang'


def test_only_moderators_moderate(client, hall, ask, api_token):
    question_id = ask(hall, hall.thao).json['id']
    response = client.patch(
        f'/api/v1/questions/{question_id}',
        json={'status': 'approved'},
        headers=api_token(hall.operator),
    )
    assert response.status_code == 403
    by_code = client.patch(
        f'/api/v1/questions/{question_id}',
        json={'status': 'approved'},
        query_string={'code': hall.thao.code},
    )
    assert by_code.status_code == 403


def test_an_empty_moderation_is_refused_with_a_message(hall, ask, moderate):
    question_id = ask(hall, hall.thao).json['id']
    response = moderate(hall, question_id)
    assert response.status_code == 422


def test_a_merged_item_stays_merged(client, hall, ask, moderate, api_token):
    target, duplicate = ask(hall, hall.thao).json['id'], ask(hall, hall.binh).json['id']
    moderate(hall, target, status='approved')
    headers = api_token(hall.moderator)
    client.post(
        f'/api/v1/questions/{target}/merge', json={'duplicates': [duplicate]}, headers=headers
    )
    restored = moderate(hall, duplicate, status='pending')
    assert restored.status_code == 409
    assert restored.json['error']['code'] == 'merged'
    again = client.post(
        f'/api/v1/questions/{target}/merge', json={'duplicates': [duplicate]}, headers=headers
    )
    assert again.status_code == 409


def test_the_queue_an_operator_reads_holds_their_points_items_and_the_public_rest(
    client, hall, ask, moderate, create_user, api_token
):
    pending = ask(hall, hall.binh, text='Câu hỏi đang chờ').json['id']
    approved = ask(hall, hall.sang, text='Câu hỏi ở điểm cầu tỉnh').json['id']
    moderate(hall, approved, status='approved')
    url = f'/api/v1/forums/{hall.forum.id}/questions'

    elsewhere = client.get(
        url, headers=api_token(create_user(UserRole.OPERATOR, venues=[hall.hub]))
    )
    assert [(q['id'], q.get('own_point')) for q in elsewhere.json['items']] == [(approved, True)]
    at_the_point = client.get(url, headers=api_token(hall.operator)).json['items']
    assert {q['id']: q.get('own_point') for q in at_the_point} == {pending: True, approved: None}
    assert next(q for q in at_the_point if q['id'] == pending)['author']['name'] == 'Trần Văn Bình'
    secretariat = client.get(url, headers=api_token(create_user(UserRole.SECRETARY))).json['items']
    assert {q['id'] for q in secretariat} == {pending, approved}
