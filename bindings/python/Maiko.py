# Maiko.py: PyGObject overrides for Maiko-1.0
#
# SPDX-License-Identifier: MIT
#
# Installed as gi/overrides/Maiko.py; PyGObject loads it on
# `from gi.repository import Maiko`. Everything the typelib offers stays
# reachable; this module only adds the Python spellings:
#
#   Maiko.Event("Hello", "World")          payload converted to a GLib.Variant
#   event.label, event.payload, event.variant
#   envelope.event, .id, .sender, .topic, .parent_id, .timestamp, .timestamp_ns
#   entry.event, .label, .receiver, ... (a harness's Maiko.EventEntry, likewise)
#   ctx.send(event) / ctx.send("Label", payload) / ctx.send(event, parent=env)
#   sup.set_topic_func(lambda event: event.label.lower())
#   with Maiko.Supervisor() as sup: ... sup.start() ...   (stopped on exit)
#
# Actor subclasses keep PyGObject's `do_*` methods. `do_on_start` and
# `do_handle_event` succeed unless they raise or return False (returning
# None, that is nothing, is success). An exception raised there reaches
# `do_on_error` (and, if the actor stops with it, `Supervisor.join`) as a
# GLib.Error in the Maiko.Error domain, code FAILED, whose message is
# "ExceptionType: message"; inside `do_on_error` the original exception is
# `error.__cause__`. A GLib.Error raised there arrives as it is. With no
# `do_on_error` of its own, the actor prints the exception's traceback, as
# PyGObject does for other vfuncs, and stops with the error.

import functools
import re
import signal
import sys
import threading

from gi.repository import GLib, GObject

from ..module import get_introspection_module
from ..overrides import override

Maiko = get_introspection_module('Maiko')

__all__ = []


# Payloads

_INT64_MIN = -(1 << 63)
_INT64_MAX = (1 << 63) - 1
_UINT64_MAX = (1 << 64) - 1


def _bytes_variant(data):
    return GLib.Variant.new_from_bytes(GLib.VariantType.new('ay'),
                                       GLib.Bytes.new(bytes(data)), True)


def to_variant(value, variant_type=None):
    """Converts a Python value to the GLib.Variant used as an event payload.

    With @variant_type (a GVariant type string such as "u" or "a{si}") the
    value is built with exactly that type, as GLib.Variant(variant_type,
    value) does. Without it the type is inferred:

    ===========================  =========================================
    Python                       GVariant
    ===========================  =========================================
    None                         no payload (only at the top level)
    GLib.Variant                 itself
    bool                         b
    int                          x (t above the int64 range)
    float                        d
    str                          s
    bytes, bytearray, memoryview ay
    tuple                        a tuple of the inferred item types
    list                         aT if every item infers to T, else av
                                 (an empty list is av)
    dict                         a{sv} (a{Kv} for keys of another basic
                                 type K): values keep their own types
    ===========================  =========================================

    Raises TypeError for a value it cannot convert.
    """
    if variant_type is not None:
        if isinstance(variant_type, GLib.VariantType):
            variant_type = variant_type.dup_string()
        if isinstance(value, GLib.Variant):
            if value.get_type_string() != variant_type:
                raise TypeError('payload is a GLib.Variant of type %r, not %r'
                                % (value.get_type_string(), variant_type))
            return value
        if variant_type == 'ay' and isinstance(value, (bytes, bytearray, memoryview)):
            return _bytes_variant(value)
        return GLib.Variant(variant_type, value)
    if value is None:
        return None
    return _infer(value)


def _infer(value):
    if isinstance(value, GLib.Variant):
        return value
    if isinstance(value, bool):
        return GLib.Variant.new_boolean(value)
    if isinstance(value, int):
        if _INT64_MIN <= value <= _INT64_MAX:
            return GLib.Variant.new_int64(value)
        if 0 <= value <= _UINT64_MAX:
            return GLib.Variant.new_uint64(value)
        raise OverflowError('%d does not fit in 64 bits' % value)
    if isinstance(value, float):
        return GLib.Variant.new_double(value)
    if isinstance(value, str):
        return GLib.Variant.new_string(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return _bytes_variant(value)
    if isinstance(value, tuple):
        return GLib.Variant.new_tuple(*[_infer(item) for item in value])
    if isinstance(value, list):
        children = [_infer(item) for item in value]
        types = {child.get_type_string() for child in children}
        if len(types) == 1:
            return GLib.Variant.new_array(GLib.VariantType.new(types.pop()), children)
        return GLib.Variant.new_array(GLib.VariantType.new('v'),
                                      [GLib.Variant.new_variant(c) for c in children])
    if isinstance(value, dict):
        keys = [_infer(key) for key in value]
        key_types = {key.get_type_string() for key in keys} or {'s'}
        if len(key_types) != 1 or not GLib.VariantType.new(next(iter(key_types))).is_basic():
            raise TypeError('dict keys of a payload must all be of one basic type '
                            '(str, int, float, bool)')
        key_type = key_types.pop()
        entries = [GLib.Variant.new_dict_entry(key, GLib.Variant.new_variant(_infer(item)))
                   for key, item in zip(keys, value.values())]
        return GLib.Variant.new_array(GLib.VariantType.new('{%sv}' % key_type), entries)
    if value is None:
        raise TypeError('None can only stand for "no payload", not be part of one')
    raise TypeError('cannot convert %s to a GLib.Variant payload; pass a GLib.Variant '
                    'or variant_type=' % type(value).__name__)


def from_variant(variant):
    """Unpacks a payload to Python values: the inverse of to_variant().

    Like GLib.Variant.unpack(), except that byte arrays ("ay") become bytes.
    """
    if variant is None:
        return None
    type_string = variant.get_type_string()
    if type_string == 'ay':
        return variant.get_data_as_bytes().get_data()
    if type_string.startswith('('):
        return tuple(from_variant(variant.get_child_value(i))
                     for i in range(variant.n_children()))
    if type_string.startswith('a{'):
        result = {}
        for i in range(variant.n_children()):
            entry = variant.get_child_value(i)
            result[from_variant(entry.get_child_value(0))] = from_variant(entry.get_child_value(1))
        return result
    if type_string.startswith('a'):
        return [from_variant(variant.get_child_value(i)) for i in range(variant.n_children())]
    if type_string == 'v':
        return from_variant(variant.get_variant())
    if type_string.startswith('m'):
        return from_variant(variant.get_child_value(0)) if variant.n_children() else None
    return variant.unpack()


__all__ += ['to_variant', 'from_variant']


def _event_from(event, payload=None, variant_type=None):
    """An Event from an Event, or from a label and a payload."""
    if isinstance(event, Maiko.Event):
        if payload is not None or variant_type is not None:
            raise TypeError('a payload goes with a label, not with an Event')
        return event
    if isinstance(event, str):
        return Event(event, payload, variant_type=variant_type)
    raise TypeError('expected a Maiko.Event or a label, not %s' % type(event).__name__)


class Event(Maiko.Event):
    """An immutable event: a label and an optional payload.

    Event(label, payload=None, variant_type=None): the payload is a
    GLib.Variant, or a Python value converted by Maiko.to_variant() (with
    exactly the type @variant_type if given).
    """

    def __new__(cls, label, payload=None, variant_type=None):
        if not isinstance(label, str) or not label or '\0' in label:
            raise ValueError('an event label must be a non-empty str without NUL, not %r'
                             % (label,))
        variant = to_variant(payload, variant_type)
        try:
            return Maiko.Event.try_new(label, variant)
        except (GLib.Error, UnicodeError) as e:
            raise ValueError('bad event label %r: %s' % (label, e)) from None

    def __init__(self, *args, **kwargs):
        pass

    @property
    def label(self):
        """The event's label, such as "Hello"."""
        return self.get_label()

    @property
    def variant(self):
        """The payload as the GLib.Variant it is stored as, or None."""
        return self.get_payload()

    @property
    def payload(self):
        """The payload unpacked to Python values (see Maiko.from_variant())."""
        return from_variant(self.get_payload())

    def __eq__(self, other):
        if not isinstance(other, Maiko.Event):
            return NotImplemented
        mine, theirs = self.get_payload(), other.get_payload()
        if mine is None or theirs is None:
            same_payload = mine is None and theirs is None
        else:
            same_payload = mine.equal(theirs)
        return self.get_label() == other.get_label() and same_payload

    def __ne__(self, other):
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self):
        return hash(self.get_label())

    def __repr__(self):
        variant = self.get_payload()
        if variant is None:
            return 'Maiko.Event(%r)' % self.get_label()
        return 'Maiko.Event(%r, %s)' % (self.get_label(), variant.print_(True))


Event = override(Event)
__all__.append('Event')


class Envelope(Maiko.Envelope):
    """An event with what the runtime adds when it is sent."""

    @property
    def event(self):
        return self.get_event()

    @property
    def id(self):
        """The envelope's unique id, a UUID string."""
        return self.get_id()

    @property
    def sender(self):
        """The sending actor's name, or "supervisor"."""
        return self.get_sender()

    @property
    def topic(self):
        return self.get_topic()

    @property
    def parent_id(self):
        """The id of the envelope this one answers, or None."""
        return self.get_parent_id()

    @property
    def timestamp(self):
        """Wall-clock time of the send, in microseconds since the epoch."""
        return self.get_timestamp()

    @property
    def timestamp_ns(self):
        """Wall-clock time of the send in nanoseconds, strictly increasing."""
        return self.get_timestamp_ns()

    def __repr__(self):
        return '<Maiko.Envelope %s %r from %r on %r>' % (
            self.get_id(), self.get_event(), self.get_sender(), self.get_topic())


Envelope = override(Envelope)
__all__.append('Envelope')


class EventEntry(Maiko.EventEntry):
    """One delivery a Maiko.Harness recorded: an envelope and the actor
    that handled it. Its properties read as an envelope's do."""

    @property
    def envelope(self):
        return self.get_envelope()

    @property
    def event(self):
        return self.get_event()

    @property
    def id(self):
        """The event's id, a UUID string."""
        return self.get_id()

    @property
    def label(self):
        return self.get_label()

    @property
    def sender(self):
        """The sending actor's name, or "supervisor"."""
        return self.get_sender()

    @property
    def receiver(self):
        """The name of the actor that handled the event."""
        return self.get_receiver()

    @property
    def topic(self):
        return self.get_topic()

    @property
    def parent_id(self):
        """The id of the event this one answers, or None."""
        return self.get_parent_id()

    @property
    def timestamp(self):
        """Wall-clock time of the send, in microseconds since the epoch."""
        return self.get_envelope().get_timestamp()

    @property
    def timestamp_ns(self):
        """Wall-clock time of the send in nanoseconds, strictly increasing."""
        return self.get_timestamp_ns()

    @property
    def error(self):
        """The GLib.Error of the receiver's handler if it failed, or None."""
        return self.get_error()

    def __repr__(self):
        return '<Maiko.EventEntry %s %r from %r to %r on %r>' % (
            self.get_id(), self.get_event(), self.get_sender(), self.get_receiver(),
            self.get_topic())


EventEntry = override(EventEntry)
__all__.append('EventEntry')


def _parent_id(parent):
    if parent is None or isinstance(parent, str):
        return parent
    if isinstance(parent, Maiko.Envelope):
        return parent.get_id()
    raise TypeError('parent must be a Maiko.Envelope or an envelope id')


class Context(Maiko.Context):
    """What an actor sends and stops with: Actor.get_context() or
    Actor.context."""

    def send(self, event, payload=None, *, parent=None, variant_type=None):
        """Publishes an event from this actor.

        ctx.send(Maiko.Event("Pong", 1)), or ctx.send("Pong", 1). With
        @parent (an Envelope or an envelope id) the event is a child of it.
        Raises GLib.Error (Maiko.Error.STOPPED once stopping), or the
        exception of the topic function.
        """
        event = _event_from(event, payload, variant_type)
        parent_id = _parent_id(parent)
        with _TopicErrors():
            if parent_id is None:
                return Maiko.Context.send(self, event)
            return Maiko.Context.send_child_event(self, event, parent_id)

    def add_actor(self, name, actor, topics=None):
        """Spawns @actor as @name, subscribed to @topics (as for
        Supervisor.add_actor), from inside an actor. Returns @actor."""
        Maiko.Context.add_actor(self, name, actor, _check_actor(name, topics))
        return actor

    def remove_actor(self, name):
        """Removes another actor, without waiting for it to end; an actor
        ends itself with stop()."""
        return _python_names(Maiko.Context.remove_actor, self, _check_text('actor name', name))

    def send_child_event(self, event, parent):
        """Publishes @event as a child of @parent, an Envelope or an id."""
        return self.send(event, parent=parent)

    @property
    def name(self):
        """The actor's name."""
        return self.get_name()

    @property
    def actor(self):
        return self.get_actor()


Context = override(Context)
__all__.append('Context')


# Topic functions: an exception (or a bad return value) is kept per thread
# and raised again from the send that called the function.

_topic_state = threading.local()


class _TopicErrors:
    def __enter__(self):
        _topic_state.error = None

    def __exit__(self, exc_type, exc, tb):
        error = getattr(_topic_state, 'error', None)
        _topic_state.error = None
        if error is not None and exc_type is not None and issubclass(exc_type, GLib.Error):
            raise error from None
        return False


def _wrap_topic_func(func, user_data):
    @functools.wraps(func)
    def topic_func(event, *ignored):
        try:
            topic = func(event, *user_data)
        except BaseException as e:
            _topic_state.error = e
            return None
        if not isinstance(topic, str) or not topic or '\0' in topic:
            _topic_state.error = TypeError(
                'the topic function returned %r for event %r; it must return a '
                'non-empty str without NUL' % (topic, event.get_label()))
            return None
        return topic
    return topic_func


def _check_text(what, value):
    """Refuses a name or topic that C would cut at a NUL."""
    if isinstance(value, str) and '\0' in value:
        raise ValueError('%s %r contains a NUL character' % (what, value))
    return value


def _check_actor(name, topics):
    """Checks an actor's name and topics; returns the topics as a list (or
    None)."""
    if isinstance(topics, str):
        topics = [topics]
    elif topics is not None:
        topics = list(topics)
    _check_text('actor name', name)
    for topic in topics or ():
        _check_text('topic', topic)
    return topics


def _wrap_factory(factory):
    """A factory that shows its exception (the restart then fails with
    "made no actor") instead of letting PyGObject swallow it."""
    def make(name):
        try:
            return factory(name)
        except BaseException as e:
            sys.excepthook(type(e), e, e.__traceback__)
            return None
    return make


def _check_properties(cls, properties):
    """Raises ValueError for a numeric property out of its range, which
    GObject would only warn about, and ignore."""
    pspecs = {pspec.name: pspec for pspec in GObject.list_properties(cls)}
    for name, value in properties.items():
        pspec = pspecs.get(name.replace('_', '-'))
        minimum = getattr(pspec, 'minimum', None)
        if minimum is None or not isinstance(value, int) or isinstance(value, bool):
            continue
        if not minimum <= value <= pspec.maximum:
            raise ValueError('%s must be between %d and %d, not %d'
                             % (name, minimum, pspec.maximum, value))


class Actor(Maiko.Actor):
    """Base class of actors: subclass it and define do_handle_event (and
    any of do_on_start, do_step, do_on_shutdown, do_on_error)."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # Runs from type.__new__, before PyGObject hooks up the do_*
        # methods found in the class dict, so the wrappers are what it sees.
        for name, wrap in _ACTOR_VFUNC_WRAPPERS.items():
            method = cls.__dict__.get(name)
            if callable(method) and not getattr(method, '_maiko_wrapped', False):
                setattr(cls, name, wrap(method))

    def __init__(self, **properties):
        _check_properties(type(self), properties)
        super().__init__(**properties)

    @property
    def context(self):
        """The actor's Maiko.Context (None before it is added)."""
        return self.get_context()


def _python_error_handler(actor):
    for klass in type(actor).__mro__:
        method = klass.__dict__.get('do_on_error')
        if method is not None:
            return getattr(method, '_maiko_wrapped', False)
    return False


def _failure(exception):
    """The GLib.Error that reports @exception as an actor failure: its
    message names the exception's type, so that a KeyboardInterrupt or a
    SystemExit stays recognisable."""
    if isinstance(exception, GLib.Error):
        return exception
    text = str(exception)
    message = '%s: %s' % (type(exception).__name__, text) if text else type(exception).__name__
    return GLib.Error.new_literal(Maiko.error_quark(), message, Maiko.Error.FAILED)


def _report(actor, exception):
    """Shows @exception where Python code will see it: to do_on_error (as
    error.__cause__) if the actor has one in Python, else as PyGObject
    shows an exception it cannot raise."""
    if isinstance(exception, GLib.Error):
        return
    if _python_error_handler(actor):
        actor._maiko_last_exception = exception
    else:
        sys.excepthook(type(exception), exception, exception.__traceback__)


def _fail(actor, exception):
    """Reports @exception as the failure of the running callback."""
    _report(actor, exception)
    actor.get_context().fail(_failure(exception))


# The actor callbacks running on this thread: a blocking call made from
# one of them must not wait in a main loop (see _wait()).
_callbacks = threading.local()


def _in_callback():
    return getattr(_callbacks, 'depth', 0) > 0


# maiko_supervisor_join() in an error message is sup.join() in Python.
_C_FUNCTION = re.compile(r'\bmaiko_(supervisor|context|actor|harness|monitor)_(\w+)\(\)')
_PYTHON_RECEIVER = {'supervisor': 'sup', 'context': 'ctx'}


def _python_names(call, *args):
    """Calls @call; a GLib.Error it raises is raised again with the C
    functions its message names spelt as Python methods."""
    try:
        return call(*args)
    except GLib.Error as error:
        message = _C_FUNCTION.sub(
            lambda m: '%s.%s()' % (_PYTHON_RECEIVER.get(m[1], m[1]), m[2]), error.message)
        if message == error.message:
            raise
        raise GLib.Error(message, error.domain, error.code) from None


def _tracked(wrapper):
    """Counts the calls of @wrapper in _callbacks while they run."""
    @functools.wraps(wrapper)
    def tracking(self, *args):
        _callbacks.depth = getattr(_callbacks, 'depth', 0) + 1
        try:
            return wrapper(self, *args)
        finally:
            _callbacks.depth -= 1
    tracking._maiko_wrapped = True
    return tracking


# No wrapper lets an exception out, BaseException included: PyGObject
# gives a (transfer none) envelope that the method kept a reference of its
# own only when the vfunc returns normally (after a raise the kept envelope
# would dangle), and it answers an uncaught SystemExit by ending Python on
# the actor's thread while the main thread waits for it.

def _wrap_failable(method):
    # do_on_start and do_handle_event: an exception, or False, fails.
    @functools.wraps(method)
    def wrapper(self, *args):
        try:
            result = method(self, *args)
        except BaseException as e:
            _fail(self, e)
            return False
        # Falling off the end is success; only False (or an exception)
        # reports a failure.
        return True if result is None else result
    wrapper._maiko_wrapped = True
    return wrapper


def _wrap_step(method):
    # do_step: an exception fails, and so does a value that is not a
    # step action; either way stepping stops unless do_on_error swallows it.
    @functools.wraps(method)
    def wrapper(self):
        try:
            action = method(self)
        except BaseException as e:
            _fail(self, e)
            return Maiko.StepAction.NEVER
        if not isinstance(action, Maiko.StepAction):
            _fail(self, TypeError('actor %r: do_step() must return a Maiko.StepAction, '
                                  'not %r' % (self.get_name(), action)))
            return Maiko.StepAction.NEVER
        return action
    wrapper._maiko_wrapped = True
    return wrapper


def _wrap_on_shutdown(method):
    # Nothing can fail after the end: the exception is only shown.
    @functools.wraps(method)
    def wrapper(self):
        try:
            method(self)
        except BaseException as e:
            sys.excepthook(type(e), e, e.__traceback__)
    wrapper._maiko_wrapped = True
    return wrapper


def _wrap_on_error(method):
    # An exception in do_on_error does not swallow the error it was given.
    @functools.wraps(method)
    def wrapper(self, error):
        cause = self.__dict__.pop('_maiko_last_exception', None)
        if cause is not None and error.matches(Maiko.error_quark(), Maiko.Error.FAILED):
            error.__cause__ = cause
        try:
            return method(self, error)
        except BaseException as e:
            sys.excepthook(type(e), e, e.__traceback__)
            return False
    wrapper._maiko_wrapped = True
    return wrapper


_ACTOR_VFUNC_WRAPPERS = {
    'do_on_start': lambda method: _tracked(_wrap_failable(method)),
    'do_handle_event': lambda method: _tracked(_wrap_failable(method)),
    'do_step': lambda method: _tracked(_wrap_step(method)),
    'do_on_shutdown': lambda method: _tracked(_wrap_on_shutdown(method)),
    'do_on_error': lambda method: _tracked(_wrap_on_error(method)),
}


def _wait(supervisor, call_async, call_finish, *args):
    """Makes the _async call @call_async of @supervisor (with @args, the
    cancellable last) and waits for it in a main loop of this thread's
    default context: the loop runs what that context holds (actors bound
    to it, monitors), and PyGObject's MainLoop lets Ctrl-C through, as
    KeyboardInterrupt."""
    loop = GLib.MainLoop(GLib.MainContext.ref_thread_default())
    results = []

    def ready(source, result):
        results.append(result)
        loop.quit()

    call_async(supervisor, *args, ready)
    while not results:
        loop.run()
    return call_finish(supervisor, results[0])


Actor = override(Actor)
__all__.append('Actor')


class Supervisor(Maiko.Supervisor):
    """The runtime. Construct properties as keywords:
    Maiko.Supervisor(mailbox_capacity=16, broker_capacity=64,
    max_events_per_tick=10).

    As a context manager it is entered as it is (not started: add actors,
    set routing, then call start()) and stopped gracefully on exit if it
    was started, so every event sent in the block is handled and every
    actor thread joined when the block ends::

        with Maiko.Supervisor() as sup:
            sup.set_route_by_label()
            sup.add_actor("greeter", Greeter(), ["Hello"])
            sup.start()
            sup.send(Maiko.Event("Hello", "World"))
    """

    def __init__(self, **properties):
        _check_properties(type(self), properties)
        super().__init__(**properties)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if not (self.is_running() or getattr(self, '_maiko_started', False)):
            return False
        try:
            # Raises the error of the first actor that failed, if join did
            # not raise it already.
            self.stop()
        except GLib.Error:
            # An exception that leaves the block says more than an actor's
            # failure, which is likely its consequence.
            if exc_type is None:
                raise
        return False

    def start(self):
        self._maiko_started = True
        return Maiko.Supervisor.start(self)

    def run(self):
        """Starts the supervisor and joins it. SIGINT (Ctrl-C) and SIGTERM
        stop it gracefully: after SIGINT run() raises KeyboardInterrupt,
        after SIGTERM it returns as join() does."""
        on_term = GLib.unix_signal_source_new(signal.SIGTERM)
        on_term.set_callback(self._stop_on_signal)
        on_term.attach(GLib.MainContext.ref_thread_default())
        try:
            self.start()
            return self.join()
        except KeyboardInterrupt:
            # Before join() waited, which stops on its own.
            if self.is_running():
                self._stop_after_interrupt()
            raise
        finally:
            on_term.destroy()

    def _stop_on_signal(self, *ignored):
        Maiko.Supervisor.stop_async(self, None, lambda *args: None)
        return GLib.SOURCE_REMOVE

    def join(self):
        """Waits until the runtime is asked to stop, every actor has ended
        or one failed; then stops it, and raises the first actor error.
        Ctrl-C while it waits stops the runtime gracefully, then raises
        KeyboardInterrupt. It runs the main loop of this thread's default
        context while it waits."""
        if _in_callback():
            # Refused (WRONG_STATE): it would wait for this actor.
            return _python_names(Maiko.Supervisor.join, self)
        try:
            return _wait(self, Maiko.Supervisor.join_async, Maiko.Supervisor.join_finish, None)
        except KeyboardInterrupt:
            self._stop_after_interrupt()
            raise

    def stop(self):
        """Stops the runtime gracefully and waits for it (see
        Maiko.Supervisor.stop); raises the first actor error. Ctrl-C while
        it waits raises KeyboardInterrupt (the stop goes on)."""
        if _in_callback():
            return _python_names(Maiko.Supervisor.stop, self)
        return _wait(self, Maiko.Supervisor.stop_async, Maiko.Supervisor.stop_finish, None)

    def wait_ready(self, name=None, cancellable=None):
        """Waits until the actor @name (every actor if None) has run
        do_on_start; raises the error that ended an actor there. start()
        does not wait for it. Ctrl-C while it waits raises
        KeyboardInterrupt."""
        if name is not None:
            _check_text('actor name', name)
        if _in_callback():
            return _python_names(Maiko.Supervisor.wait_ready, self, name, cancellable)
        return _wait(self, Maiko.Supervisor.wait_ready_async, Maiko.Supervisor.wait_ready_finish,
                     name, cancellable)

    def _stop_after_interrupt(self):
        try:
            self.stop()
        except GLib.Error:
            # The interrupt is what the caller must hear of.
            pass

    def add_actor(self, name, actor, topics=None):
        """Adds @actor as @name, subscribed to @topics (a list of topic
        names, one topic name, ["*"] for all, or None for none). Returns
        @actor."""
        topics = _check_actor(name, topics)
        Maiko.Supervisor.add_actor(self, name, actor, topics)
        return actor

    def add_restartable_actor(self, name, factory, topics=None,
                              policy=Maiko.RestartPolicy.ON_FAILURE):
        """Adds an actor that factory(name) makes, once now and again at
        each restart (see Maiko.RestartPolicy and the supervisor's
        restart_strategy, max_restarts and restart_period). The fresh
        instance gets the events the old one had not handled. An exception
        in the factory is shown and the restart fails, which stops the
        runtime. Returns the first instance."""
        topics = _check_actor(name, topics)
        if not callable(factory):
            raise TypeError('the factory must be callable')
        Maiko.Supervisor.add_restartable_actor(self, name, topics, policy,
                                               _wrap_factory(factory))
        return self.get_actor(name)

    def remove_actor(self, name):
        """Removes the actor @name and waits until it has ended (it handles
        what its mailbox holds first). From inside an actor use
        ctx.remove_actor(name), which does not wait."""
        _check_text('actor name', name)
        if _in_callback():
            return _python_names(Maiko.Supervisor.remove_actor, self, name)
        return Maiko.Supervisor.remove_actor(self, name)

    def set_topic_policy(self, topic, policy):
        """Sets the overflow policy of @topic."""
        return Maiko.Supervisor.set_topic_policy(self, _check_text('topic', topic), policy)

    def set_topic_func(self, func, *user_data):
        """Routes each event to the topic func(event) returns (a non-empty
        str); None restores the default topic. The function runs on the
        sending thread; an exception it raises is raised by that send."""
        if func is None:
            return Maiko.Supervisor.set_topic_func(self, None)
        if not callable(func):
            raise TypeError('the topic function must be callable')
        return Maiko.Supervisor.set_topic_func(self, _wrap_topic_func(func, user_data))

    def send(self, event, payload=None, *, variant_type=None):
        """Publishes an event as "supervisor": sup.send(Maiko.Event("Hello",
        "World")) or sup.send("Hello", "World")."""
        event = _event_from(event, payload, variant_type)
        with _TopicErrors():
            return Maiko.Supervisor.send(self, event)


Supervisor = override(Supervisor)
__all__.append('Supervisor')


class Monitor(Maiko.Monitor):
    """Base class of monitors: connect to its signals, or subclass it and
    define its class handlers (do_event_handled and the others).

    A class handler that raises ends its monitor, as maiko removes a
    monitor that panics: the exception is shown, the monitor is removed
    from its supervisor (see Maiko.Monitor.fail() and its failure
    property), and the other monitors go on. An exception in a connected
    handler is only shown, as PyGObject does."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in _MONITOR_CLASS_HANDLERS:
            method = cls.__dict__.get(name)
            if callable(method) and not getattr(method, '_maiko_wrapped', False):
                setattr(cls, name, _wrap_class_handler(method))


_MONITOR_CLASS_HANDLERS = (
    'do_event_dispatched', 'do_event_delivered', 'do_event_handled', 'do_overflow',
    'do_error', 'do_actor_registered', 'do_actor_stopped', 'do_event_unrouted',
    'do_actor_restarted',
)


def _wrap_class_handler(method):
    @functools.wraps(method)
    def wrapper(self, *args):
        try:
            method(self, *args)
        except BaseException as e:
            sys.excepthook(type(e), e, e.__traceback__)
            self.fail(_failure(e))
    wrapper._maiko_wrapped = True
    return wrapper


Monitor = override(Monitor)
__all__.append('Monitor')


class Harness(Maiko.Harness):
    """The test harness (see Maiko.Harness.new()). The waits read in
    either order, the timeout in milliseconds (-1, the default, is one
    second)::

        harness.settle_on(lambda events: events.count() >= 3)
        harness.settle_on(lambda events: events.count() >= 3, timeout=500)
        harness.settle_on(500, lambda events: events.count() >= 3)   # C order
        harness.settle_on_event("Stored")
        harness.settle_on_event(Maiko.EventMatcher.by_label("Stored"), 500)

    They raise GLib.Error Maiko.Error.SETTLE_TIMEOUT when the timeout
    passes first.
    """

    def settle_on(self, *args, timeout=None):
        """Waits until predicate(events) holds: settle_on(predicate,
        timeout=-1), or settle_on(timeout, predicate) as in C."""
        if args and callable(args[0]):
            predicate, rest = args[0], args[1:]
            if rest:
                if timeout is not None or len(rest) > 1:
                    raise TypeError('settle_on(predicate, timeout=-1) takes one timeout')
                timeout = rest[0]
        elif len(args) >= 2 and callable(args[1]):
            if timeout is not None:
                raise TypeError('the timeout is given twice')
            timeout, predicate = args[0], args[1]
            return Maiko.Harness.settle_on(self, timeout, predicate, *args[2:])
        else:
            raise TypeError('settle_on needs a callable predicate')
        return Maiko.Harness.settle_on(self, -1 if timeout is None else timeout, predicate)

    def settle_on_event(self, event, timeout=-1):
        """Waits until an event labelled @event (or that @event, a
        Maiko.EventMatcher, matches) was handled."""
        if isinstance(event, Maiko.EventMatcher):
            return Maiko.Harness.settle_on_event_matching(self, event, timeout)
        return Maiko.Harness.settle_on_event(self, event, timeout)


Harness = override(Harness)
__all__.append('Harness')
