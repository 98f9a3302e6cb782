# Maiko.Event, Maiko.Envelope and payload conversion.
#
# SPDX-License-Identifier: MIT

import gc
import os
import time

import pytest

from conftest import UUID_V4, RecordingActor
from gi.repository import GLib, Maiko



def test_overrides_come_from_the_build_tree():
    import gi.overrides.Maiko as overrides

    # PYTHONPATH=<builddir>/bindings/python, which holds gi/overrides/Maiko.py.
    roots = [p for p in os.environ.get('PYTHONPATH', '').split(os.pathsep) if p]
    assert any(os.path.samefile(os.path.dirname(overrides.__file__),
                                os.path.join(root, 'gi', 'overrides'))
               for root in roots if os.path.isdir(os.path.join(root, 'gi', 'overrides')))
    assert Maiko.Event is overrides.Event
    assert Maiko.Supervisor is overrides.Supervisor


def test_event_with_string_payload():
    event = Maiko.Event('Hello', 'World')
    assert isinstance(event, Maiko.Event)
    assert event.label == 'Hello'
    assert event.payload == 'World'
    assert event.variant.get_type_string() == 's'
    assert event.get_label() == 'Hello'


def test_event_without_payload():
    event = Maiko.Event('Tick')
    assert event.label == 'Tick'
    assert event.payload is None
    assert event.variant is None


@pytest.mark.parametrize('value, type_string', [
    (True, 'b'),
    (False, 'b'),
    (42, 'x'),
    (-(1 << 63), 'x'),
    ((1 << 63), 't'),
    (2.5, 'd'),
    ('text', 's'),
    (b'\x00\x01binary', 'ay'),
    (bytearray(b'ab'), 'ay'),
    ((1, 'a', True), '(xsb)'),
    ((), '()'),
    ([1, 2, 3], 'ax'),
    (['a', 'b'], 'as'),
    ([[1], [2, 3]], 'aax'),
    ([1, 'a'], 'av'),
    ([], 'av'),
    ({'n': 1, 's': 'x', 'l': [1.5]}, 'a{sv}'),
    ({}, 'a{sv}'),
    ({1: 'one', 2: 'two'}, 'a{xv}'),
    ([{'a': 1}, {'b': 2}], 'aa{sv}'),
])
def test_payload_type_is_inferred_and_round_trips(value, type_string):
    event = Maiko.Event('Data', value)
    assert event.variant.get_type_string() == type_string
    expected = bytes(value) if isinstance(value, bytearray) else value
    assert event.payload == expected
    assert type(event.payload) is type(expected)


def test_explicit_variant_passes_through():
    variant = GLib.Variant('(iu)', (-1, 7))
    event = Maiko.Event('Pair', variant)
    assert event.variant.get_type_string() == '(iu)'
    assert event.variant.equal(variant)
    assert event.payload == (-1, 7)


@pytest.mark.parametrize('value, variant_type', [
    (5, 'u'),
    (5, 'y'),
    (-3, 'i'),
    ('/org/example', 'o'),
    ([1, 2], 'ai'),
    ({'k': 'v'}, 'a{ss}'),
    (b'raw', 'ay'),
])
def test_explicit_variant_type(value, variant_type):
    event = Maiko.Event('N', value, variant_type=variant_type)
    assert event.variant.get_type_string() == variant_type
    assert event.payload == value


def test_conversion_errors():
    with pytest.raises(TypeError):
        Maiko.Event('Bad', object())
    with pytest.raises(TypeError):
        Maiko.Event('Bad', [1, None])
    with pytest.raises(TypeError):
        Maiko.Event('Bad', {(1, 2): 'tuple key'})
    with pytest.raises(OverflowError):
        Maiko.Event('Bad', 1 << 64)
    with pytest.raises(TypeError):
        Maiko.Event('Bad', GLib.Variant('s', 'x'), variant_type='u')
    for label in ('', 'nul\0inside', '\udc80', None, 3):
        with pytest.raises(ValueError):
            Maiko.Event(label)


def test_try_new_reports_bad_labels():
    with pytest.raises(GLib.Error) as info:
        Maiko.Event.try_new('', None)
    assert info.value.matches(Maiko.error_quark(), Maiko.Error.INVALID_ARGUMENT)
    event = Maiko.Event.try_new('Fine', GLib.Variant('s', 'x'))
    assert event.label == 'Fine' and event.payload == 'x'


def test_module_level_converters():
    assert Maiko.to_variant(None) is None
    assert Maiko.to_variant(3).get_type_string() == 'x'
    assert Maiko.from_variant(GLib.Variant('v', GLib.Variant('ay', b'xy'))) == b'xy'
    assert Maiko.from_variant(GLib.Variant('mi', None)) is None
    assert Maiko.from_variant(GLib.Variant('mi', 4)) == 4


def test_event_equality_and_repr():
    assert Maiko.Event('A', 1) == Maiko.Event('A', 1)
    assert Maiko.Event('A', 1) != Maiko.Event('A', 2)
    assert Maiko.Event('A', 1) != Maiko.Event('B', 1)
    assert Maiko.Event('A') == Maiko.Event('A')
    assert Maiko.Event('A') != Maiko.Event('A', 1)
    # Same value, other type: not equal.
    assert Maiko.Event('A', 1) != Maiko.Event('A', 1, variant_type='i')
    assert len({Maiko.Event('A', 1), Maiko.Event('A', 1)}) == 1
    assert repr(Maiko.Event('Hello', 'World')) == "Maiko.Event('Hello', 'World')"
    assert repr(Maiko.Event('Tick')) == "Maiko.Event('Tick')"


def test_raw_constructor_gives_the_override_too():
    event = Maiko.Event.new('Raw', GLib.Variant('i', 3))
    assert isinstance(event, Maiko.Event)
    assert event.label == 'Raw'
    assert event.payload == 3


def test_inline_int64_event():
    event = Maiko.Event.new_int64('N', -(1 << 63))
    assert isinstance(event, Maiko.Event)
    assert event.label == 'N'
    assert event.get_int64() == (True, -(1 << 63))
    assert event.payload == -(1 << 63)
    assert event.variant.get_type_string() == 'x'
    assert event == Maiko.Event('N', -(1 << 63))
    assert Maiko.Event('N', 5).get_int64() == (True, 5)
    assert Maiko.Event('S', 'five').get_int64()[0] is False
    assert Maiko.Event('E').get_int64()[0] is False


def test_event_outlives_its_python_variant():
    variant = GLib.Variant('s', 'kept')
    event = Maiko.Event('Keep', variant)
    del variant
    gc.collect()
    assert event.payload == 'kept'


def test_envelope_fields():
    actor = RecordingActor()
    before = time.time()
    with Maiko.Supervisor() as sup:
        sup.add_actor('receiver', actor, ['default'])
        sup.start()
        sup.send(Maiko.Event('First', 1))
        sup.send('Second', 2)
        actor.events.wait_len(2)
    after = time.time()

    first, second = actor.envelopes
    assert isinstance(first, Maiko.Envelope)
    assert first.event == Maiko.Event('First', 1)
    assert second.event.label == 'Second'
    assert second.event.payload == 2
    assert first.sender == 'supervisor'
    assert first.topic == 'default'
    assert first.parent_id is None
    assert UUID_V4.match(first.id)
    assert first.id != second.id
    assert int(before * 1e6) - 1000 <= first.timestamp <= int(after * 1e6) + 1000
    assert first.timestamp_ns < second.timestamp_ns
    assert first.timestamp == first.timestamp_ns // 1000
    assert 'First' in repr(first) and first.id in repr(first)
