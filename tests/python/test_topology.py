# The topology from Python: the publishes property, to_json and
# to_mermaid.
#
# SPDX-License-Identifier: MIT

import json

from conftest import RecordingActor
from gi.repository import Maiko


def pipeline(sup):
    """reader -> lines (BLOCK) -> parser -> records -> writer, and a logger
    on every topic."""
    reader, parser, writer, logger = (RecordingActor() for _ in range(4))
    reader.props.publishes = ['lines']
    parser.set_publishes(['records'])
    sup.add_actor('reader', reader)
    sup.add_actor('parser', parser, ['lines'])
    sup.add_actor('writer', writer, ['records'])
    sup.add_actor('logger', logger, [Maiko.TOPIC_ALL])
    sup.set_topic_policy('lines', Maiko.OverflowPolicy.BLOCK)
    return reader, parser


def test_publishes_property():
    actor = RecordingActor()
    # PyGObject gives the NULL array as an empty list.
    assert actor.props.publishes == []
    assert actor.get_publishes() == []

    actor.set_publishes(['a', 'b'])
    assert actor.props.publishes == ['a', 'b']
    assert actor.get_publishes() == ['a', 'b']

    actor.props.publishes = ['c']
    assert actor.get_publishes() == ['c']

    actor.set_publishes(None)
    assert actor.props.publishes == []

    constructed = Maiko.Actor(publishes=['d'])
    assert constructed.get_publishes() == ['d']


def test_to_json():
    sup = Maiko.Supervisor()
    pipeline(sup)
    topology = json.loads(sup.to_json())

    assert [actor['name'] for actor in topology['actors']] == ['reader', 'parser', 'writer', 'logger']
    assert topology['actors'][0] == {'name': 'reader', 'subscribes': [], 'publishes': ['lines']}
    assert topology['actors'][3]['subscribes'] == ['*']
    assert topology['topics'] == [
        {'name': 'lines', 'policy': 'block', 'publishers': ['reader'], 'subscribers': ['parser', 'logger']},
        {'name': 'records', 'policy': 'fail', 'publishers': ['parser'], 'subscribers': ['writer', 'logger']},
    ]
    assert [(edge['from'], edge['to'], edge['topic']) for edge in topology['edges']] == [
        ('reader', 'parser', 'lines'),
        ('reader', 'logger', 'lines'),
        ('parser', 'writer', 'records'),
        ('parser', 'logger', 'records'),
    ]


def test_to_mermaid():
    sup = Maiko.Supervisor()
    pipeline(sup)
    mermaid = sup.to_mermaid()

    assert mermaid.startswith('flowchart LR\n')
    assert '  actor_reader["reader"]\n' in mermaid
    assert '  topic_lines(["lines"])\n' in mermaid
    assert '  actor_reader --> topic_lines\n' in mermaid
    assert '  topic_lines -->|block| actor_parser\n' in mermaid
    assert '  topic_records --> actor_writer\n' in mermaid


def test_while_running():
    with Maiko.Supervisor() as sup:
        pipeline(sup)
        before = sup.to_json()
        sup.start()
        assert sup.to_json() == before
        sup.add_actor('late', RecordingActor(), ['records'])
        names = [actor['name'] for actor in json.loads(sup.to_json())['actors']]
        assert names == ['reader', 'parser', 'writer', 'logger', 'late']
