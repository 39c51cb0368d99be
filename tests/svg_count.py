#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# svg_count.py - parse an SVG of lasermesh map or path --plot and count its parts, for tests/test_map.c
#
# usage: svg_count.py FILE.svg
# Prints "name count" lines. Exits 1 (with the parser's reason) when FILE
# is not well-formed XML or its root is not an SVG element.
import re
import sys
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/2000/svg}"


def classes(e):
    return e.get("class", "").split()


def main():
    try:
        root = ET.parse(sys.argv[1]).getroot()
    except ET.ParseError as e:
        print("not XML: %s" % e, file=sys.stderr)
        return 1
    if root.tag != NS + "svg":
        print("root is %s, not svg" % root.tag, file=sys.stderr)
        return 1
    n = {k: 0 for k in ("sat", "down", "tap", "isl", "gsl", "gs", "land",
                        "route", "route_m", "route_l", "pt", "none",
                        "change", "rtt_m", "rtt_l", "text")}
    # a group's class names what its children are (map.c draws so)
    for g in root.iter(NS + "g"):
        cls = classes(g)
        for e in g:
            tag = e.tag[len(NS):]
            if "nodes" in cls and tag == "circle":
                n["sat"] += 1
                n["down"] += "down" in classes(e)
                n["tap"] += "tap" in classes(e)
            elif "nodes" in cls and tag == "rect":
                n["gs"] += 1
            elif "isl" in cls and tag == "line":
                n["isl"] += 1
            elif "gsl" in cls and tag == "line":
                n["gsl"] += 1
            elif "land" in cls and tag == "path":
                n["land"] += 1
    for e in root.iter():
        c = classes(e)
        d = e.get("d", "")
        if "route" in c:
            n["route"] += 1
            n["route_m"] += len(re.findall("M", d))
            n["route_l"] += len(re.findall("L", d))
        if "rtt" in c:
            n["rtt_m"] += len(re.findall("M", d))
            n["rtt_l"] += len(re.findall("L", d))
        if "pt" in c:
            n["pt"] += 1
            n["none"] += "none" in c
        if "change" in c:
            n["change"] += 1
        if e.tag == NS + "text":
            n["text"] += 1
    for k, v in n.items():
        print(k, v)
    # the captions, for the test to compare
    for e in root.iter(NS + "text"):
        print("caption", e.text)
    return 0


sys.exit(main())
