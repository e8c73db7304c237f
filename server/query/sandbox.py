"""Confining a query worker: no network, and a ceiling on its memory (issue 16).

The server refuses SERVICE before a query reaches the engine, but it is the engine that
opens connections (pyoxigraph evaluates SERVICE with its own HTTP client), so the process
that runs it is confined as well. A seccomp filter makes ``socket()`` fail with EACCES for
every address family but AF_UNIX (the pipe to the server exists before), refuses
``io_uring_setup`` (io_uring can open sockets without ``socket()``) and any system call
made through another ABI (x32, 32-bit). A filter cannot be lifted, and every thread the
engine starts later inherits it. It needs no privilege, only ``no_new_privs``, so it works
for any user, in a container and in CI as root alike — unlike a network namespace, which
needs CAP_SYS_ADMIN or unprivileged user namespaces.

The memory ceiling here (RLIMIT_DATA) is the backstop: the server stops a worker that holds
more than its cap (``workers.py``); this makes an allocation far past it fail at once,
and the engine then aborts (SIGABRT) rather than take the machine's memory.
"""

from __future__ import annotations

import ctypes
import platform
import resource
import sys

EACCES = 13
AF_UNIX = 1
_X32 = 0x40000000  # x86_64 system calls of the x32 ABI carry this bit

# machine -> (AUDIT_ARCH_*, socket, io_uring_setup, seccomp) system call numbers
_ARCHES = {
    "x86_64": (0xC000003E, 41, 425, 317),
    "aarch64": (0xC00000B7, 198, 425, 277),
}

# classic BPF, as in seccomp(2)
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JGE_K = 0x35
_RET_K = 0x06
_ALLOW = 0x7FFF0000
_DENY = 0x00050000 | EACCES  # SECCOMP_RET_ERRNO
_PR_SET_NO_NEW_PRIVS = 38
_SECCOMP_SET_MODE_FILTER = 1
_SECCOMP_FILTER_FLAG_TSYNC = 1
# offsets in struct seccomp_data
_NR, _ARCH, _ARG0 = 0, 4, 16


class _Insn(ctypes.Structure):
    _fields_ = (
        ("code", ctypes.c_uint16),
        ("jt", ctypes.c_uint8),
        ("jf", ctypes.c_uint8),
        ("k", ctypes.c_uint32),
    )


class _Prog(ctypes.Structure):
    _fields_ = (("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_Insn)))


class SandboxUnavailable(OSError):
    """The filter could not be installed: the worker must not run queries then."""


def network_filter(arch: int, sys_socket: int, sys_io_uring_setup: int) -> list[tuple]:
    """The filter program as (code, jt, jf, k) rows; jumps count the rows they skip."""
    return [
        (_LD_W_ABS, 0, 0, _ARCH),
        (_JEQ_K, 1, 0, arch),  # this machine's own ABI: go on
        (_RET_K, 0, 0, _DENY),  # any other ABI: refused
        (_LD_W_ABS, 0, 0, _NR),
        (_JGE_K, 0, 1, _X32),
        (_RET_K, 0, 0, _DENY),
        (_JEQ_K, 0, 1, sys_io_uring_setup),
        (_RET_K, 0, 0, _DENY),
        (_JEQ_K, 0, 3, sys_socket),  # not socket(): allowed (row 12)
        (_LD_W_ABS, 0, 0, _ARG0),  # socket(domain, …)
        (_JEQ_K, 1, 0, AF_UNIX),
        (_RET_K, 0, 0, _DENY),
        (_RET_K, 0, 0, _ALLOW),
    ]


def deny_network() -> None:
    """Install the filter in this process (all its threads). Raises SandboxUnavailable
    where it cannot be installed; elsewhere than Linux it warns and returns."""
    if not sys.platform.startswith("linux"):
        print("committee-kg: query workers are not confined off Linux", file=sys.stderr)
        return
    machine = platform.machine()
    if machine not in _ARCHES:
        raise SandboxUnavailable(f"no network filter is written for {machine}")
    arch, sys_socket, sys_uring, sys_seccomp = _ARCHES[machine]
    rows = network_filter(arch, sys_socket, sys_uring)
    program = (_Insn * len(rows))(*(_Insn(*row) for row in rows))
    prog = _Prog(len(rows), program)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise SandboxUnavailable(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    done = libc.syscall(
        ctypes.c_long(sys_seccomp),
        ctypes.c_long(_SECCOMP_SET_MODE_FILTER),
        ctypes.c_long(_SECCOMP_FILTER_FLAG_TSYNC),
        ctypes.byref(prog),
    )
    if done != 0:
        raise SandboxUnavailable(ctypes.get_errno(), "seccomp(SET_MODE_FILTER) failed")


def cap_data(limit: int) -> None:
    """No allocation past ``limit`` bytes of data segment (heap and anonymous maps)."""
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def confine(memory_cap: int | None = None) -> None:
    """What a query worker does first: off the network, and (given a cap in bytes) a
    backstop at twice that cap, or the current data size plus the cap if that is more."""
    deny_network()
    if memory_cap:
        with open("/proc/self/statm") as f:
            data_now = int(f.read().split()[5]) * resource.getpagesize()
        cap_data(max(2 * memory_cap, data_now + memory_cap))
