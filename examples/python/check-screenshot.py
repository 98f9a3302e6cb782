#!/usr/bin/env python3
# check-screenshot.py: fails (status 1) if a PNG looks blank
#
# usage: check-screenshot.py FILE.png
#
# A window with text in it has many colours (antialiased glyphs) and a
# good share of pixels off its background; a blank or unrendered one has
# one or two colours.
#
# SPDX-License-Identifier: MIT

import collections
import sys

import gi

gi.require_version('GdkPixbuf', '2.0')
from gi.repository import GdkPixbuf  # noqa: E402

MIN_WIDTH, MIN_HEIGHT = 200, 100
MIN_COLOURS = 16
MIN_OFF_BACKGROUND = 0.01


def main(path):
    image = GdkPixbuf.Pixbuf.new_from_file(path)
    width, height = image.get_width(), image.get_height()
    channels, stride = image.get_n_channels(), image.get_rowstride()
    data = image.get_pixels()
    counts = collections.Counter(
        bytes(data[y * stride + x * channels:y * stride + (x + 1) * channels])
        for y in range(height) for x in range(width))
    background, n_background = counts.most_common(1)[0]
    off = 1 - n_background / (width * height)
    print('%s: %dx%d, %d colours, %.1f %% off the background %s'
          % (path, width, height, len(counts), 100 * off, background.hex()))
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        print('too small: not the window')
        return 1
    if len(counts) < MIN_COLOURS or off < MIN_OFF_BACKGROUND:
        print('blank: nothing was drawn')
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
