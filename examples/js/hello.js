#!/usr/bin/env -S gjs -m
// hello.js: the reference's first example, in JavaScript
//
// A Greeter subscribed to the default topic receives Hello("World") sent by
// the supervisor, and prints it.
//
// From the build tree:
//   meson devenv -C builddir --workdir . gjs -m examples/js/hello.js
//
// GJS runs JavaScript on its main thread only, so a JavaScript actor runs
// on a main context (here the default one, which the GLib.MainLoop below
// runs): set its main-context property, or add_actor refuses it.
//
// SPDX-License-Identifier: MIT

import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Maiko from 'gi://Maiko';
import System from 'system';

const Greeter = GObject.registerClass(
class Greeter extends Maiko.Actor {
    vfunc_handle_event(envelope) {
        const event = envelope.get_event();
        const name = event.get_payload()?.unpack() ?? 'nobody';
        print(`${event.get_label()}, ${name}! (from ${envelope.get_sender()})`);
        return true;
    }
});

const supervisor = new Maiko.Supervisor();
supervisor.add_actor('greeter',
    new Greeter({main_context: GLib.MainContext.default()}),
    [Maiko.DEFAULT_TOPIC]);
supervisor.start();
supervisor.send(Maiko.Event.new('Hello', new GLib.Variant('s', 'World')));

// A graceful stop: the greeter handles what it received first. The main
// loop runs the greeter until then.
const loop = new GLib.MainLoop(null, false);
let status = 0;
supervisor.stop_async(null, (sup, result) => {
    try {
        sup.stop_finish(result);
    } catch (e) {
        printerr(`hello: ${e.message}`);
        status = 1;
    }
    loop.quit();
});
loop.run();
System.exit(status);
