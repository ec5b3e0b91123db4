"""Which address the phone server serves on, its join URL and QR code.

:func:`interfaces` lists the machine's IPv4 and IPv6 addresses without
sending any traffic: on Linux from ``/proc/net`` and an ``ioctl`` per
interface; elsewhere through ``psutil`` when it is installed, else the
addresses the host name resolves to. :func:`preferred` picks the one to
offer first — the interface that carries the default route (the venue's
Wi-Fi, or the laptop's hotspot), never a loopback, link-local or
internet-facing (public) address; those need an explicit choice.

:func:`join_text` is what the console and projector print beside the QR
code (:func:`qr_svg`, :func:`qr_png`, drawn with ``segno``).
"""

from __future__ import annotations

import contextlib
import io
import ipaddress
import socket
import struct
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..core.i18n import _

PROC_NET = Path("/proc/net")
_SIOCGIFADDR = 0x8915
_RTF_UP, _RTF_GATEWAY, _RTF_REJECT = 0x0001, 0x0002, 0x0200


@dataclass(frozen=True)
class Interface:
    """One address of one network interface.

    Attributes:
        name: the interface ("wlan0", "eth0", "lo").
        address: the IP address as text (no scope, no brackets).
        version: 4 or 6.
        default_route: the interface carries the machine's default route.
    """

    name: str
    address: str
    version: int
    default_route: bool = False

    @property
    def ip(self) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
        return ipaddress.ip_address(self.address)

    @property
    def is_loopback(self) -> bool:
        return self.ip.is_loopback

    @property
    def is_link_local(self) -> bool:
        return self.ip.is_link_local

    @property
    def is_public(self) -> bool:
        """Reachable from the internet (not a private, shared or special range)."""
        ip = self.ip
        shared = isinstance(ip, ipaddress.IPv4Address) and ip in _CARRIER_GRADE_NAT
        return ip.is_global and not shared

    @property
    def offerable(self) -> bool:
        """May be offered to phones without asking: not loopback, link-local, public."""
        return not (self.is_loopback or self.is_link_local or self.is_public)

    @property
    def label(self) -> str:
        """What a chooser shows: "wlan0 — 192.168.1.20 (default route)"."""
        notes = []
        if self.default_route:
            notes.append(_("default route"))
        if self.is_loopback:
            notes.append(_("this computer only"))
        if self.is_public:
            notes.append(_("internet-facing"))
        if self.is_link_local:
            notes.append(_("link-local"))
        tail = f" ({', '.join(notes)})" if notes else ""
        return f"{self.name} — {self.address}{tail}"


_CARRIER_GRADE_NAT = ipaddress.ip_network("100.64.0.0/10")


# -- reading /proc/net ------------------------------------------------------------
def default_route_interfaces(route: str, ipv6_route: str = "") -> set[str]:
    """Interfaces with a default gateway, from ``/proc/net/route`` (and ``ipv6_route``)."""
    found: set[str] = set()
    for line in route.splitlines()[1:]:
        fields = line.split()
        if len(fields) < 8:
            continue
        with contextlib.suppress(ValueError):
            flags, mask = int(fields[3], 16), int(fields[7], 16)
            if fields[1] == "00000000" and mask == 0 and flags & _RTF_UP and \
                    flags & _RTF_GATEWAY and not flags & _RTF_REJECT:
                found.add(fields[0])
    for line in ipv6_route.splitlines():
        fields = line.split()
        if len(fields) < 10:
            continue
        with contextlib.suppress(ValueError):
            flags = int(fields[8], 16)
            if fields[0] == "0" * 32 and fields[1] == "00" and fields[4] != "0" * 32 and \
                    flags & _RTF_UP and not flags & _RTF_REJECT:
                found.add(fields[9])
    return found


def ipv6_addresses(if_inet6: str) -> list[tuple[str, str]]:
    """(interface, address) pairs from ``/proc/net/if_inet6``."""
    pairs = []
    for line in if_inet6.splitlines():
        fields = line.split()
        if len(fields) < 6 or len(fields[0]) != 32:
            continue
        with contextlib.suppress(ValueError):
            address = ipaddress.IPv6Address(bytes.fromhex(fields[0]))
            pairs.append((fields[5], str(address)))
    return pairs


def _ipv4_of(name: str) -> str | None:
    """The IPv4 address of interface ``name`` (an ioctl: no packet is sent)."""
    import fcntl

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            packed = fcntl.ioctl(s.fileno(), _SIOCGIFADDR,
                                 struct.pack("256s", name.encode()[:15]))
        except OSError:  # no IPv4 address, or the interface is down
            return None
    return socket.inet_ntoa(packed[20:24])


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="ascii", errors="replace")
    except OSError:
        return ""


def _linux_interfaces(proc: Path) -> list[Interface]:
    defaults = default_route_interfaces(_read(proc / "route"), _read(proc / "ipv6_route"))
    found = []
    for _index, name in socket.if_nameindex():
        address = _ipv4_of(name)
        if address:
            found.append(Interface(name, address, 4, name in defaults))
    for name, address in ipv6_addresses(_read(proc / "if_inet6")):
        found.append(Interface(name, address, 6, name in defaults))
    return found


def _other_interfaces() -> list[Interface]:
    try:
        import psutil  # type: ignore[import-untyped]
    except ImportError:
        infos = socket.getaddrinfo(socket.gethostname(), None)
        seen = {str(info[4][0]).split("%")[0] for info in infos}
        return [Interface("host", a, 6 if ":" in a else 4) for a in sorted(seen)]
    # psutil knows addresses but not routes: no default route is marked here.
    found = []
    for name, addrs in psutil.net_if_addrs().items():
        for a in addrs:
            if a.family in (socket.AF_INET, socket.AF_INET6):
                address = a.address.split("%")[0]
                found.append(Interface(name, address, 6 if ":" in address else 4))
    return found


def interfaces(proc: Path = PROC_NET) -> list[Interface]:
    """Every IPv4/IPv6 address of this machine, best candidates first (see :func:`rank`)."""
    if sys.platform.startswith("linux") and (proc / "route").exists():
        found = _linux_interfaces(proc)
    else:
        found = _other_interfaces()
    return rank(found)


def rank(found: Iterable[Interface]) -> list[Interface]:
    """Offerable before the rest; the default route first; IPv4 before IPv6."""
    return sorted(
        dict.fromkeys(found),
        key=lambda i: (not i.offerable, not i.default_route, i.version, i.name, i.address),
    )


def preferred(found: Iterable[Interface]) -> Interface | None:
    """The address to offer phones first, or None when none is offerable."""
    return next((i for i in rank(found) if i.offerable), None)


# -- what the room is shown ---------------------------------------------------------
def join_url(address: str, port: int) -> str:
    """``http://192.168.1.20:8765/`` (IPv6 in brackets)."""
    host = f"[{address}]" if ":" in address else address
    return f"http://{host}:{port}/"


def join_text(url: str, pin: str) -> str:
    """The two lines beside the QR code."""
    shown = url.removeprefix("http://").rstrip("/")
    return _("Open {address} on your phone\nPIN {pin}").format(
        address=shown, pin=f"{pin[:3]} {pin[3:]}")


def qr_svg(url: str, scale: int = 8) -> bytes:
    """The QR code of ``url`` as SVG bytes (black on white, with its quiet zone)."""
    import segno

    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=scale, dark="#000", light="#fff")
    return out.getvalue()


def qr_png(url: str, scale: int = 10) -> bytes:
    """The QR code of ``url`` as PNG bytes."""
    import segno

    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=scale, dark="#000", light="#fff")
    return out.getvalue()


def advice(chosen: Interface | None, port: int) -> list[str]:
    """What to tell the facilitator, in plain words, when phones cannot connect.

    The first sentences are about the chosen address itself (none, loopback,
    link-local, internet-facing); the rest apply to every room.
    """
    out: list[str] = []
    if chosen is None:
        out.append(_("This computer has no network address phones can use: join the venue's "
                     "Wi-Fi, or turn on this computer's hotspot and let the phones join it."))
    elif chosen.is_loopback:
        out.append(_("{address} works only on this computer; choose the Wi-Fi or "
                     "hotspot address instead.").format(address=chosen.address))
    elif chosen.is_link_local:
        out.append(_("{address} is a link-local address most phones cannot open; "
                     "choose another address.").format(address=chosen.address))
    elif chosen.is_public:
        out.append(_("{address} faces the internet: anyone who finds it could try to "
                     "join. Prefer the Wi-Fi or hotspot address unless you mean it.").format(
                         address=chosen.address))
    out += [
        _("Phones must be on the same network as this computer (the same Wi-Fi, not "
          "mobile data)."),
        _("If this computer asks whether to allow incoming connections, allow them; a "
          "firewall must let in TCP port {port} on this network.").format(port=port),
        _("Guest and conference Wi-Fi often keep devices from reaching each other. Then "
          "turn on this computer's hotspot, let the phones join it, and choose its address."),
        _("If the QR code does not open, type the address shown under it into the phone's "
          "browser, starting with http://."),
    ]
    return out
