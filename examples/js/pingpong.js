#!/usr/bin/env -S gjs -m
// pingpong.js: two actors bounce an event until a count is reached
//
// The pinger sends Ping(n) on topic "Ping"; the ponger answers Pong(n) on
// topic "Pong"; the pinger sends the next Ping, and stops the runtime after
// the last Pong. Topics are the event labels (route by label). Each answer
// is a child event of the one it answers: its envelope's parent id names
// that event.
//
// From the build tree:
//   meson devenv -C builddir --workdir . gjs -m examples/js/pingpong.js
//
// Both actors run on the default main context (JavaScript actors must run
// on a main context); the main loop learns that the pinger stopped the
// runtime through join_async.
//
// SPDX-License-Identifier: MIT

import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Maiko from 'gi://Maiko';
import System from 'system';

const ROUNDS = 10;

const Player = GObject.registerClass(
class Player extends Maiko.Actor {
    _init(reply, serves = false) {
        super._init({main_context: GLib.MainContext.default()});
        // The label this player answers with.
        this.reply = reply;
        // Only the pinger serves first, and counts the rounds.
        this.serves = serves;
    }

    vfunc_on_start() {
        // The conveniences of the override: a plain value is the payload
        // (an integer becomes an int64, as in the C example).
        if (this.serves)
            this.get_context().send(this.reply, 1);
        return true;
    }

    vfunc_handle_event(envelope) {
        const {label, payload: n} = envelope.event;
        print(`${this.get_name()} received ${label}(${n})`);

        // {parent} makes the answer a child event of the one it answers.
        if (this.serves && n === ROUNDS)
            this.get_context().stop_runtime();
        else
            this.get_context().send(this.reply, this.serves ? n + 1 : n, {parent: envelope});
        return true;
    }
});

const supervisor = new Maiko.Supervisor();
supervisor.set_route_by_label();
supervisor.add_actor('pinger', new Player('Ping', true), ['Pong']);
supervisor.add_actor('ponger', new Player('Pong'), ['Ping']);
supervisor.start();

// Runs until the pinger stops the runtime; join_finish throws an actor's
// error.
const loop = new GLib.MainLoop(null, false);
let status = 0;
supervisor.join_async(null, (sup, result) => {
    try {
        sup.join_finish(result);
        print(`${ROUNDS} rounds played`);
    } catch (e) {
        printerr(`pingpong: ${e.message}`);
        status = 1;
    }
    loop.quit();
});
loop.run();
System.exit(status);
