# Maiko.Recorder from Python: a run recorded to a file, read back with
# Maiko.Recorder.read_file and, without Maiko, with the json module.
#
# SPDX-License-Identifier: MIT

import json
import math
import os

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


def cut_last_line(path, cut_path):
    """Writes @path to @cut_path without the second half of its last line,
    as a full disk or a SIGTERM before close() leaves a recording."""
    data = path.read_bytes()
    last = data.rindex(b'\n', 0, len(data) - 1) + 1
    cut_path.write_bytes(data[:last + (len(data) - last) // 2])
    return data.count(b'\n')


def test_read_file_prefix_of_a_cut_recording(tmp_path):
    path = tmp_path / 'run.jsonl'
    record_run(str(path))
    whole = Maiko.Recorder.read_file(str(path))
    n_lines = cut_last_line(path, tmp_path / 'cut.jsonl')
    assert n_lines == len(whole)
    cut = str(tmp_path / 'cut.jsonl')

    # The strict reader refuses the whole file...
    with pytest.raises(GLib.Error) as info:
        Maiko.Recorder.read_file(cut)
    assert error_is(info.value, Maiko.Error.INVALID_ARGUMENT)
    assert f'line {n_lines}: invalid JSON' in info.value.message

    # ...the prefix reader gives every record before the cut, and its error.
    records, line_error, length = Maiko.Recorder.read_file_prefix(cut)
    assert [r.get_time() for r in records] == [r.get_time() for r in whole[:-1]]
    assert [r.get_id() for r in records] == [r.get_id() for r in whole[:-1]]
    assert error_is(line_error, Maiko.Error.INVALID_ARGUMENT)
    assert line_error.message.startswith(f'{cut}: line {n_lines}: invalid JSON')
    data = (tmp_path / 'cut.jsonl').read_bytes()
    assert length == data.rindex(b'\n') + 1

    records, line_error, length = Maiko.Recorder.read_bytes_prefix(GLib.Bytes(data))
    assert len(records) == len(whole) - 1
    assert line_error.message.startswith(f'line {n_lines}: invalid JSON')

    # Truncated there, it is a whole recording again.
    os.truncate(cut, length)
    assert len(Maiko.Recorder.read_file(cut)) == len(whole) - 1

    # A whole file has no line error.
    records, line_error, length = Maiko.Recorder.read_file_prefix(str(path))
    assert len(records) == len(whole)
    assert line_error is None
    assert length == path.stat().st_size


def test_read_file_refuses_what_is_not_a_regular_file(tmp_path):
    fifo = tmp_path / 'fifo.jsonl'
    os.mkfifo(fifo)
    for path in (str(fifo), '/dev/zero', '/dev/null'):
        for read in (Maiko.Recorder.read_file, Maiko.Recorder.read_file_prefix):
            with pytest.raises(GLib.Error) as info:
                read(path)
            assert info.value.matches(Gio.io_error_quark(), Gio.IOErrorEnum.NOT_REGULAR_FILE)
            assert info.value.message == f'\u201c{path}\u201d is not a regular file'


EVENT_LINE = ('{"hook":"event-handled","time":1,"id":"0d7f2c4e-9a51-4c3b-8e2d-1f6a5b4c3d2e",'
              '"parent_id":null,"label":"L","topic":"t","sender":"s","receiver":"r",'
              '"timestamp":2,"payload":%s,"payload_type":"%s"}')


@pytest.mark.parametrize('line, reason', [
    (EVENT_LINE % ('70000', 'n'), '70000 is out of range for type \u201cn\u201d'),
    (EVENT_LINE % ('300', 'y'), '300 is out of range for type \u201cy\u201d'),
    (EVENT_LINE % ('9223372036854775808', 'x'), 'number out of range: 9223372036854775808'),
    (EVENT_LINE % ('1e999', 'd'), 'number out of range: 1e999'),
    (EVENT_LINE % ('010', 'i'), 'not a JSON number: \u201c010\u201d'),
    ('{"hook":"actor-stopped","time":9223372036854775808,"actor":"a"}',
     'number out of range: 9223372036854775808'),
])
def test_out_of_range_numbers_are_errors(line, reason):
    with pytest.raises(GLib.Error) as info:
        Maiko.Record.parse_line(line.encode())
    assert error_is(info.value, Maiko.Error.INVALID_ARGUMENT)
    assert reason in info.value.message


def test_recorder_writes_only_lines_it_reads(tmp_path):
    # Signals emitted by hand may carry what the runtime never would.
    path = str(tmp_path / 'run.jsonl')
    recorder = Maiko.Recorder.new(path)
    recorder.emit('actor-registered', 'n' * 100_000)
    recorder.emit('actor-registered', '')
    recorder.emit('error', 'a', GLib.Error('m' * 100_000, 'my-domain', 3))
    recorder.emit('error', 'a', GLib.Error('', '', 4))
    recorder.close()

    records = Maiko.Recorder.read_file(path)
    assert len(records) == 4
    assert records[0].get_actor() == 'n' * 65536
    assert records[1].get_actor() == '\ufffd'
    assert records[2].get_error_message() == 'm' * 65536
    assert records[2].get_error_domain() == 'my-domain'
    assert records[2].get_error_code() == 3
    assert records[3].get_error_domain() == '\ufffd'
    assert records[3].get_error_message() == ''
    with open(path, encoding='utf-8') as f:
        lines = [json.loads(line) for line in f]
    assert [line.get('truncated') for line in lines] == [['actor'], None, ['message'], None]


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
