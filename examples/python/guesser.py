#!/usr/bin/env python3
# guesser.py: the reference's guessing game, with topics and timing
#
# Two players guess a number from 0 to 9 at their own pace (every 500 and
# every 350 ms); a game pairs their guesses and publishes the results; a
# printer shows them. After ten rounds the game stops the runtime.
#
# - The players are step-driven producers: they subscribe to nothing, and
#   their step publishes a guess, then asks to be called again after a
#   backoff.
# - The game is stateful: it keeps the guesses that have not been paired
#   yet. It pairs each player's first guess, then their second ones, and so
#   on, so the faster player's guesses wait for the slower one's. (The
#   reference keeps only each player's latest guess, so which guesses meet
#   depends on timing; pairing them in turn gives one transcript per seed.)
# - Topics separate concerns: guesses go to topic "Game", results and
#   messages to topic "Output". The actors know topics, not each other.
#
# usage: guesser.py [--seed N]
# With a seed the output is the same at every run, and the same as that of
# examples/guesser.c with the same seed.
#
# From the build tree (with a python3 that has PyGObject):
#   meson devenv -C builddir --workdir . python3 examples/python/guesser.py --seed 42
#
# SPDX-License-Identifier: MIT

import argparse
import collections
import random

import gi

gi.require_version('Maiko', '1.0')
from gi.repository import GLib, Maiko  # noqa: E402

ROUNDS = 10


class Player(Maiko.Actor):
    """Publishes Guess(player, number) every interval_ms."""

    def __init__(self, player_id, interval_ms, seed):
        super().__init__()
        # 1 or 2: carried in the event, so the game need not know actor names.
        self.player_id = player_id
        self.interval_ms = interval_ms
        # One stream per player; the multiplication spreads nearby seeds
        # apart, whose streams would otherwise begin alike.
        self.random = ((2 * seed + player_id) * 0x9E3779B9) & 0xFFFFFFFF

    def next_number(self):
        # A small generator of our own (the 32-bit linear congruential one
        # from Numerical Recipes), the same as guesser.c's.
        self.random = (self.random * 1664525 + 1013904223) & 0xFFFFFFFF
        return (self.random >> 24) % 10

    def do_step(self):
        try:
            self.context.send('Guess', (self.player_id, self.next_number()),
                              variant_type='(yy)')
        except GLib.Error:
            # Maiko.Error.STOPPED: the game is over.
            return Maiko.StepAction.NEVER
        self.context.set_backoff(self.interval_ms)
        return Maiko.StepAction.BACKOFF


class Game(Maiko.Actor):
    """Pairs the players' guesses and publishes Result(n1, n2)."""

    def __init__(self):
        super().__init__()
        # The guesses of players 1 and 2 not paired yet, oldest first.
        self.guesses = {1: collections.deque(), 2: collections.deque()}
        self.round = 0

    def do_on_start(self):
        self.context.send('Message', 'Welcome to the Guessing Game!\n'
                          '(the game will stop after %d rounds)' % ROUNDS)

    def do_handle_event(self, envelope):
        # Guesses still arriving while the runtime stops are not played.
        if self.round == ROUNDS:
            return
        player_id, number = envelope.event.payload
        self.guesses[player_id].append(number)
        if not (self.guesses[1] and self.guesses[2]):
            return

        self.round += 1
        result = (self.guesses[1].popleft(), self.guesses[2].popleft())
        # The result is a child of the guess that completed the pair.
        self.context.send('Result', result, parent=envelope, variant_type='(yy)')

    def do_step(self):
        # Stopping only itself would leave the players running: stop them
        # all. The printer still prints every result sent so far.
        if self.round == ROUNDS:
            self.context.stop_runtime()
        return Maiko.StepAction.AWAIT_EVENT


class Printer(Maiko.Actor):
    """Shows messages and results; it only consumes."""

    def do_handle_event(self, envelope):
        event = envelope.event
        if event.label == 'Message':
            print(event.payload)
        elif event.label == 'Result':
            n1, n2 = event.payload
            if n1 == n2:
                print('Match! Both players guessed %d' % n1)
            else:
                print('No match. Player1: %d, Player2: %d' % (n1, n2))


def main():
    parser = argparse.ArgumentParser(description='A guessing game of actors.')
    parser.add_argument('-s', '--seed', type=int, metavar='N',
                        help="seed of the players' guesses (random if not given)")
    seed = parser.parse_args().seed
    if seed is None:
        seed = random.getrandbits(32)
    elif not 0 <= seed <= 0xFFFFFFFF:
        parser.error('the seed must be from 0 to %d' % 0xFFFFFFFF)

    with Maiko.Supervisor() as sup:
        # Guesses go to the game, everything else to the printer.
        sup.set_topic_func(lambda event: 'Game' if event.label == 'Guess' else 'Output')
        # The players subscribe to nothing: they only produce.
        sup.add_actor('Player1', Player(1, 500, seed), None)
        sup.add_actor('Player2', Player(2, 350, seed), None)
        sup.add_actor('Game', Game(), ['Game'])
        sup.add_actor('Printer', Printer(), ['Output'])
        # Runs until the game stops the runtime; raises an actor's error.
        sup.run()

    print('\nGame over!')


if __name__ == '__main__':
    main()
