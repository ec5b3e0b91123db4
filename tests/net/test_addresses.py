"""Choosing the address to serve on, the join text and the QR code."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET

import segno

from calms_desktop.net import addresses as a

ROUTE = """Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0
wlan0\t0001A8C0\t00000000\t0001\t0\t0\t600\t00FFFFFF\t0\t0\t0
eth9\t00000000\t00000000\t0201\t0\t0\t0\t00000000\t0\t0\t0
"""
IPV6_ROUTE = (
    "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
    "fe800000000000000000000000000001 00000400 00000002 00000000 00000003     usb0\n"
    "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
    "00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n"
)
IF_INET6 = (
    "fe8000000000000000fc00fffe000001 04 40 20 80     eth0\n"
    "00000000000000000000000000000001 01 80 10 80       lo\n"
    "fd000000000000000000000000000002 04 40 00 82     eth0\n"
    "garbage line\n"
)


def test_the_default_route_is_read_from_proc_net_route():
    assert a.default_route_interfaces(ROUTE) == {"wlan0"}  # eth9's is a reject route
    assert a.default_route_interfaces(ROUTE, IPV6_ROUTE) == {"wlan0", "usb0"}
    assert a.default_route_interfaces("") == set()


def test_ipv6_addresses_are_read_from_if_inet6():
    assert a.ipv6_addresses(IF_INET6) == [
        ("eth0", "fe80::fc:ff:fe00:1"), ("lo", "::1"), ("eth0", "fd00::2")]


def test_the_default_route_interface_is_preferred_and_risky_ones_are_never_offered():
    found = [
        a.Interface("lo", "127.0.0.1", 4),
        a.Interface("docker0", "172.17.0.1", 4),
        a.Interface("eth1", "8.8.4.4", 4),  # a public address: internet-facing
        a.Interface("wlan0", "fe80::1", 6, True),
        a.Interface("wlan0", "192.168.1.20", 4, True),
        a.Interface("wlan0", "fd00::20", 6, True),
        a.Interface("cgnat", "100.64.0.7", 4),
    ]
    ranked = a.rank(found)
    assert [i.address for i in ranked[:2]] == ["192.168.1.20", "fd00::20"]
    assert a.preferred(found) == a.Interface("wlan0", "192.168.1.20", 4, True)
    assert {i.address for i in ranked if not i.offerable} == {"127.0.0.1", "8.8.4.4", "fe80::1"}
    assert [i.offerable for i in ranked[-3:]] == [False, False, False]
    assert a.preferred([a.Interface("lo", "127.0.0.1", 4)]) is None
    assert "internet-facing" in a.Interface("eth1", "8.8.4.4", 4).label
    assert "default route" in ranked[0].label


def test_this_machines_interfaces_are_listed():
    found = a.interfaces()
    assert any(i.address == "127.0.0.1" and i.is_loopback for i in found)
    assert found == a.rank(found)


def test_the_join_url_and_text():
    assert a.join_url("192.168.1.20", 8765) == "http://192.168.1.20:8765/"
    assert a.join_url("fd00::20", 80) == "http://[fd00::20]:80/"
    text = a.join_text("http://192.168.1.20:8765/", "424242")
    assert text == "Open 192.168.1.20:8765 on your phone\nPIN 424 242"


def test_the_qr_code_encodes_the_url_as_svg_and_png():
    url = "http://192.168.1.20:8765/"
    svg = a.qr_svg(url, scale=4)
    root = ET.fromstring(svg)
    modules = segno.make(url, error="m").symbol_size(scale=4)
    assert root.tag.endswith("svg") and int(root.get("width")) == modules[0]
    png = a.qr_png(url, scale=5)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == segno.make(url, error="m").symbol_size(scale=5)
    assert a.qr_svg("http://192.168.1.21:8765/") != a.qr_svg(url)


def test_advice_names_the_problem_with_the_chosen_address_first():
    port = 8765
    assert "no network address" in a.advice(None, port)[0]
    assert "only on this computer" in a.advice(a.Interface("lo", "127.0.0.1", 4), port)[0]
    assert "link-local" in a.advice(a.Interface("wlan0", "fe80::1", 6), port)[0]
    assert "faces the internet" in a.advice(a.Interface("eth1", "8.8.4.4", 4), port)[0]
    lan = a.advice(a.Interface("wlan0", "192.168.1.20", 4, True), port)
    assert lan[0].startswith("Phones must be on the same network")
    assert any("TCP port 8765" in line for line in lan)
    assert any("hotspot" in line for line in lan)


def test_join_text_and_advice_follow_the_active_language():
    from calms_desktop.core.i18n import Translator, activate

    with activate(Translator("de")):
        text = a.join_text("http://192.168.1.20:8765/", "424242")
        advice = a.advice(None, 8765)
    assert text == "Öffnen Sie 192.168.1.20:8765 auf Ihrem Telefon\nPIN 424 242"
    assert advice[0].startswith("Dieser Computer hat keine Netzadresse")
    assert any("TCP-Port 8765" in line for line in advice)
