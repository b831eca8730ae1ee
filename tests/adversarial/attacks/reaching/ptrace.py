# kata: adv-shout
# verdict: wrong-answer
# verdict[wasm]: runtime-error
# gap[wasm]: WASI CPython has no ctypes
# attack: trace or read other processes (PID 1, the parent) and itself
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
PTRACE_TRACEME, PTRACE_ATTACH = 0, 16


class IoVec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("length", ctypes.c_size_t)]


def shout(text):
    worked = []
    if libc.ptrace(PTRACE_TRACEME, 0, None, None) == 0:
        worked.append("traceme")
    for pid in {1, os.getppid()}:
        if libc.ptrace(PTRACE_ATTACH, pid, None, None) == 0:
            worked.append("attach %d" % pid)
        buffer = ctypes.create_string_buffer(16)
        local = IoVec(ctypes.cast(buffer, ctypes.c_void_p), 16)
        remote = IoVec(0x400000, 16)
        if libc.process_vm_readv(pid, ctypes.byref(local), 1, ctypes.byref(remote), 1, 0) > 0:
            worked.append("process_vm_readv %d" % pid)
    if worked:
        raise RuntimeError("ptrace worked: %r" % worked)
    return "nope"
