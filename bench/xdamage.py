#!/usr/bin/python3
"""Prints when the first frame reaches the X server, seen from outside.

For make bench (bench/harness): it watches the root window for new
top-level windows, asks the DAMAGE extension to report drawing into each,
prints "ready" once watching, then the wall-clock time (Unix nanoseconds)
of the first drawing into any of them, and exits. A GLFW window has no
background, so mapping it draws nothing: the first damage is the first
buffer swap's image (Mesa's software GL puts it into the window).
"""
import sys
import time

from Xlib import X, display
from Xlib.ext import damage

d = display.Display()
# GLFW's helper window is InputOnly: damage on it is refused (BadMatch).
d.set_error_handler(lambda *args: None)
if not d.has_extension("DAMAGE"):
    sys.exit("xdamage: the X server has no DAMAGE extension")
d.damage_query_version()
d.screen().root.change_attributes(event_mask=X.SubstructureNotifyMask)
d.sync()
print("ready", flush=True)
while True:
    e = d.next_event()
    if e.type == X.CreateNotify:
        e.window.damage_create(damage.DamageReportNonEmpty)
        d.flush()
    elif e.type == d.extension_event.DamageNotify:
        print(time.time_ns(), flush=True)
        break
