# Maiko.Recorder from Python: a run recorded to a file, read back with
# Maiko.Recorder.read_file and, without Maiko, with the json module.
#
# SPDX-License-Identifier: MIT

import json
import math

import pytest
from conftest import RecordingActor, error_is
from gi.repository import Gio, GLib, GObject, Maiko

PAYLOADS = [
    GLib.Variant('x', -(1 << 63)),
    GLib.Variant('d', 0.1),
    GLib.Variant('b', True),
    GLib.Variant('s', 'h\u00e9llo "world"\n'),
    GLib.Variant('(xsb)', (7, 'seven', False)),
    GLib.Variant('a{sa{sx}}', {'outer': {'inner': 9}}),
    GLib.Variant('a{sv}', {'size': GLib.Variant('i', 3), 'tags': GLib.Variant('as', ['a'])}),
    GLib.Variant('(sd)', ('not a number', math.nan)),
    GLib.Variant('(sd)', ('huge', 1e22)),
    None,
]

EVENT_HOOKS = ('event-dispatched', 'event-delivered', 'event-handled')


def record_run(path):
    recorder = Maiko.Recorder.new(path)
    assert isinstance(recorder, Maiko.Monitor)
    with Maiko.Supervisor() as sup:
        sup.add_monitor(recorder)
        actors = [sup.add_actor(name, RecordingActor(), ['default']) for name in ('a', 'b')]
        sup.start()
        for payload in PAYLOADS:
            sup.send(Maiko.Event('Work', payload))
        for actor in actors:
            actor.events.wait_len(len(PAYLOADS))
    # Leaving the block stopped the supervisor, which emitted the records
    # this thread's monitors still held.
    recorder.close()
    assert recorder.get_error() is None
    assert recorder.props.lost_count == 0
    return recorder, actors


def same_payload(recorded, sent):
    if sent is None:
        return recorded is None
    return recorded is not None and recorded.equal(sent)


def test_record_and_read_back(tmp_path):
    path = str(tmp_path / 'run.jsonl')
    recorder, actors = record_run(path)
    envelopes = {(name, env.id): env for name, actor in zip('ab', actors)
                 for env in actor.envelopes}

    records = Maiko.Recorder.read_file(path)
    assert len(records) == recorder.props.written_count
    hooks = [record.get_hook().value_nick for record in records]
    for hook in EVENT_HOOKS:
        assert hooks.count(hook) == 2 * len(PAYLOADS)
    assert hooks.count('actor-registered') == 2
    assert hooks.count('actor-stopped') == 2
    assert len(hooks) == 6 * len(PAYLOADS) + 4

    for record in records:
        assert record.get_time() > 0
        if record.get_hook().value_nick not in EVENT_HOOKS:
            assert record.get_actor() in ('a', 'b')
            assert record.get_id() is None
            continue
        envelope = envelopes[(record.get_receiver(), record.get_id())]
        assert record.get_label() == 'Work'
        assert record.get_sender() == 'supervisor'
        assert record.get_topic() == 'default'
        assert record.get_parent_id() is None
        assert record.get_timestamp() == envelope.timestamp
        assert same_payload(record.get_payload(), envelope.event.variant)
        assert record.get_actor() is None


def test_json_lines_read_with_json_module(tmp_path):
    path = str(tmp_path / 'run.jsonl')
    record_run(path)
    records = Maiko.Recorder.read_file(path)

    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    assert lines[-1] == ''
    objects = [json.loads(line) for line in lines[:-1]]
    assert len(objects) == len(records)

    for obj, record in zip(objects, records):
        assert obj['hook'] == record.get_hook().value_nick
        assert obj['time'] == record.get_time()
        if obj['hook'] not in EVENT_HOOKS:
            assert set(obj) == {'hook', 'time', 'actor'}
            assert obj['actor'] == record.get_actor()
            continue
        assert obj['id'] == record.get_id()
        assert obj['parent_id'] is None
        assert obj['label'] == record.get_label()
        assert obj['topic'] == record.get_topic()
        assert obj['sender'] == record.get_sender()
        assert obj['receiver'] == record.get_receiver()
        assert obj['timestamp'] == record.get_timestamp()


def as_json(value):
    """What json.loads gives for the JSON form of an unpacked GVariant."""
    if isinstance(value, (tuple, list)):
        return [as_json(item) for item in value]
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    return value


def test_payload_json_forms(tmp_path):
    path = str(tmp_path / 'run.jsonl')
    record_run(path)
    with open(path, encoding='utf-8') as f:
        objects = [json.loads(line) for line in f]
    dispatched = [obj for obj in objects
                  if obj['hook'] == 'event-dispatched' and obj['receiver'] == 'a']
    forms = [(obj['payload'], obj['payload_type'], 'payload_text' in obj) for obj in dispatched]
    assert forms == [
        (-(1 << 63), 'x', False),
        (0.1, 'd', False),
        (True, 'b', False),
        ('h\u00e9llo "world"\n', 's', False),
        ([7, 'seven', False], '(xsb)', False),
        ({'outer': {'inner': 9}}, 'a{sa{sx}}', True),
        ({'size': 3, 'tags': ['a']}, 'a{sv}', True),
        # NaN has no JSON form, and json-glib writes 1e22 as the invalid
        # 1e+22.0: the text alone holds them.
        (None, '(sd)', True),
        (None, '(sd)', True),
        (None, None, False),
    ]

    # Each reads back as sent: from the text when there is one, else
    # from the JSON form.
    for obj, sent in zip(dispatched, PAYLOADS):
        if 'payload_text' in obj:
            back = GLib.Variant.parse(GLib.VariantType(obj['payload_type']),
                                      obj['payload_text'], None, None)
            assert back.equal(sent)
        elif sent is not None:
            assert obj['payload'] == as_json(sent.unpack())


def test_unwritable_path(tmp_path):
    with pytest.raises(GLib.Error) as info:
        Maiko.Recorder.new(str(tmp_path / 'missing' / 'run.jsonl'))
    assert info.value.matches(Gio.io_error_quark(), Gio.IOErrorEnum.NOT_FOUND)


def test_parse_line_errors():
    record = Maiko.Record.parse_line(b'{"hook":"actor-stopped","time":1,"actor":"a"}')
    assert record.get_hook() == Maiko.RecordHook.ACTOR_STOPPED
    assert record.get_actor() == 'a'

    for line, reason in [
        (b'[]', 'not a JSON object'),
        (b'{"hook":"explode","time":1}', 'field \u201chook\u201d has an unknown value'),
        (b'{"hook":"actor-stopped","time":1,"actor":"\xff"}', 'not valid UTF-8'),
        (b'{"hook":"actor-stopped","time":1}', 'missing field \u201cactor\u201d'),
    ]:
        with pytest.raises(GLib.Error) as info:
            Maiko.Record.parse_line(line)
        assert error_is(info.value, Maiko.Error.INVALID_ARGUMENT)
        assert reason in info.value.message


def test_read_file_names_the_bad_line(tmp_path):
    path = tmp_path / 'bad.jsonl'
    path.write_bytes(b'{"hook":"actor-registered","time":1,"actor":"a"}\n\n{"hook":"actor-stopped"}\n')
    with pytest.raises(GLib.Error) as info:
        Maiko.Recorder.read_file(str(path))
    assert error_is(info.value, Maiko.Error.INVALID_ARGUMENT)
    assert 'line 3: missing field \u201ctime\u201d' in info.value.message


def test_hook_names():
    for hook in (Maiko.RecordHook.EVENT_DISPATCHED, Maiko.RecordHook.OVERFLOW,
                 Maiko.RecordHook.ACTOR_STOPPED):
        name = Maiko.RecordHook.to_string(hook)
        assert GObject.signal_lookup(name, Maiko.Monitor) != 0
        assert Maiko.RecordHook.from_string(name) == hook
    assert Maiko.RecordHook.to_string(Maiko.RecordHook.EVENT_HANDLED) == 'event-handled'
    assert Maiko.record_hook_to_string(Maiko.RecordHook.ERROR) == 'error'

    record = Maiko.Record.parse_line(b'{"hook":"actor-stopped","time":1,"actor":"a"}')
    assert Maiko.RecordHook.to_string(record.get_hook()) == 'actor-stopped'

    with pytest.raises(GLib.Error) as raised:
        Maiko.RecordHook.from_string('event_handled')
    assert error_is(raised.value, Maiko.Error.INVALID_ARGUMENT)
