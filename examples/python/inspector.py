#!/usr/bin/env python3
# inspector.py: a GTK 4 window that shows the live actor list of a small
# running system
#
# Three sensors run on threads of their own and publish a Reading every
# few hundred milliseconds; one of them fails now and then and is
# restarted. A display actor runs on the main loop, where GTK runs, and
# shows the latest readings in a label; an archive, on a thread, is too
# slow for them, so its mailbox fills (the Reading topic drops what does
# not fit). Below it, a Gtk.ListView shows
# sup.get_actors() as it is: one row per actor with its state, where it
# runs, its mailbox, how many events it handled and how often it was
# restarted, updated by the list itself, at most every refresh-interval.
#
# From the build tree (with a python3 that has PyGObject, and GTK 4):
#   meson devenv -C builddir --workdir . python3 examples/python/inspector.py
# Options: --seconds=N quits after N seconds; --screenshot=FILE.png saves
# the window to FILE.png as it quits (the examples suite does both, under
# xvfb-run).
#
# SPDX-License-Identifier: MIT

import argparse
import math
import sys
import time

import gi

gi.require_version('Gdk', '4.0')
gi.require_version('Graphene', '1.0')
gi.require_version('Gtk', '4.0')
gi.require_version('Maiko', '1.0')
from gi.repository import GLib, Graphene, Gtk, Maiko  # noqa: E402

SENSORS = [('thermometer', 250), ('hygrometer', 400), ('barometer', 600)]
# The barometer fails at every FAIL_EVERY-th reading and is restarted.
FAIL_EVERY = 7
# A screenshot waits for the first frame at most this long.
SCREENSHOT_RETRY_MS = 200
SCREENSHOT_TRIES = 100


class Sensor(Maiko.Actor):
    """Publishes Reading((name, value)) every @interval_ms, from its step on
    a thread of its own."""

    def __init__(self, name, interval_ms, fail_every=0):
        super().__init__()
        self.props.publishes = ['Reading']
        self.sensor = name
        self.interval_ms = interval_ms
        self.fail_every = fail_every
        self.count = 0

    def do_step(self):
        self.count += 1
        if self.fail_every and self.count % self.fail_every == 0:
            raise RuntimeError('%s lost its probe' % self.sensor)
        value = 20 + 5 * math.sin(self.count / 3 + len(self.sensor))
        try:
            self.context.send('Reading', GLib.Variant('(sd)', (self.sensor, value)))
        except GLib.Error as error:
            # The runtime stops: nothing more to measure for.
            if error.matches(Maiko.error_quark(), Maiko.Error.STOPPED):
                return Maiko.StepAction.NEVER
            raise
        self.context.set_backoff(self.interval_ms)
        return Maiko.StepAction.BACKOFF

    def do_on_error(self, error):
        # Not swallowed: the actor ends, and its restart policy replaces it.
        return False


class Archive(Maiko.Actor):
    """Keeps every reading, slowly: a disk that cannot keep up."""

    def __init__(self):
        super().__init__(mailbox_capacity=16)
        self.kept = []

    def do_handle_event(self, envelope):
        time.sleep(0.3)
        self.kept.append(envelope.event.payload)
        return True


class Display(Maiko.Actor):
    """Shows the latest readings in @label; bound to the main context, so
    it may touch GTK widgets."""

    def __init__(self, label):
        super().__init__(main_context=GLib.MainContext.default())
        self.label = label
        self.latest = {}

    def do_handle_event(self, envelope):
        name, value = envelope.event.payload
        self.latest[name] = value
        self.label.set_text('   '.join('%s %.1f' % (n, self.latest[n])
                                       for n, _ in SENSORS if n in self.latest))
        return True


# The columns of a row: header, width in characters, how an item shows.
COLUMNS = [
    ('actor', 12, lambda a: a.props.name),
    ('state', 10, lambda a: a.props.state.value_nick),
    ('runs on', 12, lambda a: a.props.placement),
    ('topics', 9, lambda a: ', '.join(a.props.topics) or '(none)'),
    ('mailbox', 8, lambda a: '%d/%d' % (a.props.mailbox_depth, a.props.mailbox_capacity)),
    ('handled', 8, lambda a: str(a.props.handled_count)),
    ('restarts', 8, lambda a: str(a.props.restart_count)),
]


def row_box():
    box = Gtk.Box(orientation=Gtk.Orientation.HORIZONTAL, spacing=12)
    for _, width, _ in COLUMNS:
        box.append(Gtk.Label(xalign=0, width_chars=width))
    return box


def fill_row(box, info):
    label = box.get_first_child()
    for _, _, show in COLUMNS:
        label.set_text(show(info))
        label = label.get_next_sibling()


def actor_list_view(actors):
    """A Gtk.ListView over the live list; a row follows its item's
    notify signals, which the list emits at most every refresh-interval."""
    factory = Gtk.SignalListItemFactory()

    def setup(_factory, list_item):
        list_item.set_child(row_box())

    def bind(_factory, list_item):
        info, box = list_item.get_item(), list_item.get_child()
        fill_row(box, info)
        list_item.handler = info.connect('notify', lambda i, _pspec: fill_row(box, i))

    def unbind(_factory, list_item):
        list_item.get_item().disconnect(list_item.handler)

    factory.connect('setup', setup)
    factory.connect('bind', bind)
    factory.connect('unbind', unbind)
    return Gtk.ListView(model=Gtk.NoSelection(model=actors), factory=factory, vexpand=True)


def header():
    box = row_box()
    for (title, _, _), label in zip(COLUMNS, iter_children(box)):
        label.set_markup('<b>%s</b>' % title)
    return box


def iter_children(widget):
    child = widget.get_first_child()
    while child is not None:
        yield child
        child = child.get_next_sibling()


def save_screenshot(widget, path):
    """Renders @widget as it is on screen to a PNG at @path: a
    Gtk.WidgetPaintable snapshot, rendered to a texture by the window's
    GskRenderer. Returns False if the widget has not been drawn yet."""
    width, height = widget.get_width(), widget.get_height()
    snapshot = Gtk.Snapshot()
    Gtk.WidgetPaintable.new(widget).snapshot(snapshot, width, height)
    try:
        node = snapshot.to_node()
    except TypeError:
        # PyGObject before 3.44 cannot pass a GskRenderNode (a
        # fundamental type): the same calls, made through ctypes.
        return save_screenshot_ctypes(widget, path)
    if node is None:
        return False
    renderer = widget.get_native().get_renderer()
    texture = renderer.render_texture(node, Graphene.Rect().init(0, 0, width, height))
    if not texture.save_to_png(path):
        raise OSError('could not write %s' % path)
    return True


def save_screenshot_ctypes(widget, path):
    import ctypes
    from ctypes import POINTER, c_char_p, c_double, c_float, c_int, c_void_p

    class Rect(ctypes.Structure):  # graphene_rect_t
        _fields_ = [('x', c_float), ('y', c_float), ('width', c_float), ('height', c_float)]

    gtk = ctypes.CDLL('libgtk-4.so.1')
    signatures = {
        'gtk_snapshot_new': (c_void_p, []),
        'gdk_paintable_snapshot': (None, [c_void_p, c_void_p, c_double, c_double]),
        'gtk_snapshot_free_to_node': (c_void_p, [c_void_p]),
        'gsk_renderer_render_texture': (c_void_p, [c_void_p, c_void_p, POINTER(Rect)]),
        'gdk_texture_save_to_png': (c_int, [c_void_p, c_char_p]),
        'gsk_render_node_unref': (None, [c_void_p]),
        'g_object_unref': (None, [c_void_p]),
    }
    for name, (restype, argtypes) in signatures.items():
        getattr(gtk, name).restype = restype
        getattr(gtk, name).argtypes = argtypes
    get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
    get_pointer.restype = c_void_p
    get_pointer.argtypes = [ctypes.py_object, c_char_p]

    def pointer(obj):
        return get_pointer(obj.__gpointer__, None)

    width, height = widget.get_width(), widget.get_height()
    paintable = Gtk.WidgetPaintable.new(widget)
    snapshot = gtk.gtk_snapshot_new()
    gtk.gdk_paintable_snapshot(pointer(paintable), snapshot, width, height)
    node = gtk.gtk_snapshot_free_to_node(snapshot)
    if not node:
        return False
    renderer = pointer(widget.get_native().get_renderer())
    texture = gtk.gsk_renderer_render_texture(renderer, node, Rect(0, 0, width, height))
    saved = gtk.gdk_texture_save_to_png(texture, path.encode())
    gtk.g_object_unref(texture)
    gtk.gsk_render_node_unref(node)
    if not saved:
        raise OSError('could not write %s' % path)
    return True


def build_system(readings_label):
    sup = Maiko.Supervisor(max_restarts=1000, restart_period=1)
    sup.set_route_by_label()
    for name, interval in SENSORS:
        fail_every = FAIL_EVERY if name == 'barometer' else 0
        sup.add_restartable_actor(
            name, lambda _name, n=name, i=interval, f=fail_every: Sensor(n, i, f),
            None, Maiko.RestartPolicy.ON_FAILURE)
    sup.add_actor('display', Display(readings_label), ['Reading'])
    sup.add_actor('archive', Archive(), ['Reading'])
    sup.set_topic_policy('Reading', Maiko.OverflowPolicy.DROP)
    return sup


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--seconds', type=float, default=0,
                        help='quit after this many seconds (0: when the window closes)')
    parser.add_argument('--screenshot', metavar='FILE.png',
                        help='save the window to FILE.png as the program quits')
    options = parser.parse_args()

    readings = Gtk.Label(label='waiting for readings…', xalign=0)
    sup = build_system(readings)
    actors = sup.get_actors()
    actors.props.refresh_interval = 200

    box = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=8,
                  margin_top=12, margin_bottom=12, margin_start=12, margin_end=12)
    box.append(readings)
    box.append(Gtk.Separator())
    box.append(header())
    box.append(actor_list_view(actors))
    window = Gtk.Window(title='Maiko inspector', default_width=760, default_height=280, child=box)
    loop = GLib.MainLoop()
    window.connect('close-request', lambda _window: loop.quit() or False)

    state = {'tries': 0, 'status': 0}

    def try_screenshot():
        """Saves the screenshot (if asked) and quits; on a loaded machine
        the first frame may come late, so it tries again for a while."""
        state['tries'] += 1
        if options.screenshot:
            try:
                if not save_screenshot(window, options.screenshot):
                    if state['tries'] < SCREENSHOT_TRIES:
                        return GLib.SOURCE_CONTINUE
                    raise OSError('the window was never drawn')
                print('saved %s (%dx%d)' % (options.screenshot, window.get_width(),
                                            window.get_height()))
            except Exception as error:
                print('no screenshot: %s' % error, file=sys.stderr)
                state['status'] = 1
        loop.quit()
        return GLib.SOURCE_REMOVE

    def time_is_up():
        if try_screenshot() == GLib.SOURCE_CONTINUE:
            GLib.timeout_add(SCREENSHOT_RETRY_MS, try_screenshot)
        return GLib.SOURCE_REMOVE

    sup.start()
    window.present()
    if options.seconds > 0:
        GLib.timeout_add(int(options.seconds * 1000), time_is_up)
    loop.run()
    # The runtime stops; the display actor runs on this thread, which
    # stop() iterates while it waits.
    sup.stop()
    window.destroy()
    return state['status']


if __name__ == '__main__':
    sys.exit(main())
