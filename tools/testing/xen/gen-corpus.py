#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Write the seed corpora in corpus/<target>/: a few small, well-formed
inputs per fuzz target, in the input format each target documents.
Run it again after changing a format; the files are committed."""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, name, data):
    d = os.path.join(HERE, 'corpus', target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)


# --- fuzz_xenring_back: order, start index, commands ----------------------
def ring_cmds(order, start, cmds):
    return bytes([order]) + struct.pack('<I', start) + bytes(cmds)


# set req_prod = cons + 5, consume 5, answer 5, push, rearm
write('fuzz_xenring_back', 'basic', ring_cmds(0, 0, [0, 5, 3, 5, 4, 5, 5, 6]))
write('fuzz_xenring_back', 'wrap',
      ring_cmds(1, 0xfffffff8, [0, 20, 3, 20, 4, 20, 5, 0, 40, 3, 30, 4, 9, 5, 6]))
write('fuzz_xenring_back', 'overrun', ring_cmds(0, 7, [0, 33, 3, 1, 1, 0, 0, 0, 0x80, 3, 1]))

# --- fuzz_blkfront_keys: limits, then key=value lines ---------------------
def keys(b0, queues, indirect, kv):
    text = '\n'.join('%s=%s' % p for p in kv).encode()
    return bytes([b0, queues]) + struct.pack('<H', indirect) + text


LINUX_BACK = [('sectors', '2097152'), ('info', '0'), ('sector-size', '512'),
              ('physical-sector-size', '512'), ('feature-flush-cache', '1'),
              ('feature-discard', '1'), ('discard-granularity', '4096'),
              ('discard-alignment', '0'), ('discard-secure', '0'),
              ('feature-max-indirect-segments', '256'),
              ('feature-persistent', '1'), ('max-ring-page-order', '4'),
              ('multi-queue-max-queues', '4')]
write('fuzz_blkfront_keys', 'linux', keys(0x44, 4, 256, LINUX_BACK))
write('fuzz_blkfront_keys', 'large4k',
      keys(0xc4, 2, 1024, [('sectors', '262144'), ('sector-size', '4096'),
                           ('physical-sector-size', '4096'),
                           ('feature-large-sector-size', '1'),
                           ('feature-barrier', '1'), ('info', '4')]))
write('fuzz_blkfront_keys', 'legacy',
      keys(0x02, 1, 0, [('sectors', '100'), ('sector-size', '512'),
                        ('max-ring-pages', '4'), ('info', '3')]))

# --- fuzz_blkfront_rsp: ring order, nr_ids, commands -------------------------
def rsp(id_, op, status, slot):
    return [1, id_, op, status & 0xff] + list(struct.pack('<H', slot))


cmds = [0, 0, 0, 1, 0, 5]                     # issue read, write, indirect read
cmds += rsp(0, 0, 0, 0) + rsp(1, 1, 0, 1) + rsp(2, 0, 0xff, 2)
cmds += [3, 3, 5]                             # rsp_prod = cons + 3, consume
write('fuzz_blkfront_rsp', 'three', bytes([0, 8] + cmds))
cmds = [0, 2, 0, 3] + rsp(0, 3, 0, 0) + rsp(1, 2, 0xfe, 1) + [3, 2, 5]
write('fuzz_blkfront_rsp', 'flush', bytes([1, 2] + cmds))
write('fuzz_blkfront_rsp', 'overrun', bytes([0, 4, 0, 0] + rsp(3, 0, 0, 0) + [3, 9, 5]))

# --- fuzz_blkback_req: abi, disk, ring, indirect pages ----------------------
X64_REQ = struct.Struct('<BBHIQQ')            # op, nseg, handle, pad, id, sector
X32_REQ = struct.Struct('<BBHQQ')
SEG = struct.Struct('<IBBH')


def slot_rw(abi, op, nseg, id_, sector, segs):
    if abi == 1:
        head = X32_REQ.pack(op, nseg, 0x300, id_, sector)
        size = 108
    else:
        head = X64_REQ.pack(op, nseg, 0x300, 0, id_, sector)
        size = 112
    body = b''.join(SEG.pack(g, f, l, 0) for g, f, l in segs)
    return (head + body).ljust(size, b'\0')


def slot_discard(abi, id_, sector, count):
    if abi == 1:
        return struct.pack('<BBHQQQ', 5, 0, 0x300, id_, sector, count).ljust(108, b'\0')
    return struct.pack('<BBHIQQQ', 5, 0, 0x300, 0, id_, sector, count).ljust(112, b'\0')


def slot_indirect(abi, inner, nseg, id_, sector, grefs):
    g = struct.pack('<8I', *(grefs + [0] * (8 - len(grefs))))
    if abi == 1:
        s = struct.pack('<BBHQQHH', 6, inner, nseg, id_, sector, 0x300, 0) + g
        return s.ljust(108, b'\0')
    s = struct.pack('<BBHIQQHH', 6, inner, nseg, 0, id_, sector, 0x300, 0) + g
    return s.ljust(112, b'\0')


def blkback(abi, flags, max_ind, nr_sectors, slots, pages=b''):
    head = bytes([abi, flags])
    if flags & 0x80:
        head += struct.pack('<H', max_ind)
    head += struct.pack('<Q', nr_sectors)
    ring = struct.pack('<IIII', len(slots), 1, 0, 1).ljust(64, b'\0')
    ring += b''.join(slots)
    if pages:
        ring = ring.ljust(4096, b'\0')
    return head + ring + pages


for abi in (0, 1, 2):
    slots = [slot_rw(abi, 0, 2, 1, 0, [(10, 0, 7), (11, 0, 3)]),
             slot_rw(abi, 1, 1, 2, 64, [(12, 2, 5)]),
             slot_rw(abi, 3, 0, 3, 0, []),
             slot_discard(abi, 4, 8, 16)]
    write('fuzz_blkback_req', 'direct-abi%d' % abi,
          blkback(abi, 0x28 | 0x00, 0, 4096, slots))
page = b''.join(SEG.pack(100 + i, 0, 7, 0) for i in range(20))
write('fuzz_blkback_req', 'indirect',
      blkback(2, 0xa8, 64, 8192,
              [slot_indirect(2, 1, 20, 9, 16, [0])], page))
write('fuzz_blkback_req', 'indirect-4k',
      blkback(1, 0x83, 512, 1000,
              [slot_indirect(1, 0, 20, 9, 5, [0])],
              b''.join(SEG.pack(100 + i, 0, 0, 0) for i in range(20))))

# --- fuzz_blkback_keys: limits, then key=value lines ------------------------
def fe_keys(order, queues, persistent, kv):
    text = '\n'.join('%s=%s' % p for p in kv).encode()
    return bytes([order, queues, persistent]) + text


write('fuzz_blkback_keys', 'linux',
      fe_keys(4, 4, 1, [('ring-page-order', '2'), ('multi-queue-num-queues', '2'),
                        ('protocol', 'x86_64-abi'), ('feature-persistent', '1'),
                        ('feature-large-sector-size', '1')]))
write('fuzz_blkback_keys', 'legacy',
      fe_keys(3, 1, 0, [('num-ring-pages', '4'), ('protocol', 'x86_32-abi')]))
write('fuzz_blkback_keys', 'both', fe_keys(2, 8, 1, [('ring-page-order', '1'), ('num-ring-pages', '2')]))

# --- fuzz_netback_tx: limits, then 12-byte transmit slots --------------------
TXREQ = struct.Struct('<IHHHH')


def tx_slot(gref, off, flags, rid, size):
    return TXREQ.pack(gref, off, flags, rid, size)


def extra(etype, flags, body):
    return (bytes([etype, flags]) + body).ljust(12, b'\0')


GSO4 = extra(1, 0, struct.pack('<HBBH', 1448, 1, 0, 0))
write('fuzz_netback_tx', 'simple',
      bytes([18, 20, 6]) + tx_slot(1, 0, 0, 0, 60) + tx_slot(2, 100, 1, 1, 1514))
write('fuzz_netback_tx', 'frags-gso',
      bytes([18, 20, 2]) + tx_slot(1, 0, 0xc, 0, 9000) + GSO4 +
      tx_slot(2, 0, 4, 1, 4096) + tx_slot(3, 0, 0, 2, 808))
write('fuzz_netback_tx', 'mcast',
      bytes([18, 20, 0]) + tx_slot(0, 0, 8, 0, 0) +
      extra(2, 0, bytes([1, 0, 0x5e, 0, 0, 0xfb])))

# --- fuzz_netfront_rx: limits, then 8-byte receive slots (id = index) -------
RXRSP = struct.Struct('<HHHh')
write('fuzz_netfront_rx', 'simple',
      bytes([18, 6, 1]) + RXRSP.pack(0, 0, 1, 1514) + RXRSP.pack(1, 10, 0, 60))
write('fuzz_netfront_rx', 'gso-hash',
      bytes([18, 2, 1]) + RXRSP.pack(0, 0, 0xc, 4096) +
      (bytes([1, 1]) + struct.pack('<HBBH', 1448, 1, 0, 0)) +
      (bytes([4, 0, 1, 1]) + struct.pack('<I', 0x51ccc178)) +
      RXRSP.pack(3, 0, 0, 904))

# --- fuzz_netback_ctrl: queues, then 16-byte requests and their data ----------
def ctrl(rtype, d0=0, d1=0, d2=0, rid=0):
    return struct.pack('<HHIII', rid, rtype, d0, d1, d2)


write('fuzz_netback_ctrl', 'toeplitz',
      bytes([3]) + ctrl(7, 1) + ctrl(2, 0xf) + ctrl(3, 5, 40) + bytes(range(40)) +
      ctrl(5, 8) + ctrl(6, 6, 8, 0) + struct.pack('<8I', 0, 1, 2, 3, 0, 1, 2, 3) +
      ctrl(1) + bytes([0]) +
      bytes([0x45, 0, 0, 40, 0, 0, 0x40, 0, 64, 6, 0, 0, 66, 9, 149, 187,
             161, 142, 100, 80, 0x0a, 0xea, 0x06, 0xe6]))

# --- fuzz_netfront_ctrl: outstanding id and type, then a 12-byte response ---
def fctrl(want_id, want_type, rid, rtype, status, data):
    return struct.pack('<HH', want_id, want_type) + \
        struct.pack('<HHII', rid, rtype, status, data)


write('fuzz_netfront_ctrl', 'configure',
      fctrl(1, 7, 1, 7, 0, 0) + fctrl(2, 1, 2, 1, 0, 0xf) +
      fctrl(3, 2, 3, 2, 0, 0) + fctrl(4, 3, 4, 3, 0, 0) +
      fctrl(5, 4, 5, 4, 0, 128) + fctrl(6, 5, 6, 5, 0, 0) +
      fctrl(7, 6, 7, 6, 0, 0))
write('fuzz_netfront_ctrl', 'refused',
      fctrl(1, 7, 1, 7, 1, 0) + fctrl(2, 6, 2, 6, 2, 0) +
      fctrl(3, 3, 3, 3, 3, 0) + fctrl(4, 4, 5, 4, 0, 99))

# --- fuzz_netback_keys: offer, then key=value lines ("q/" for the queue) -------
def nb_keys(max_queues, flags, kv):
    return bytes([max_queues, flags]) + '\n'.join('%s=%s' % p for p in kv).encode()


write('fuzz_netback_keys', 'linux',
      nb_keys(4, 1, [('request-rx-copy', '1'), ('feature-sg', '1'),
                     ('feature-gso-tcpv4', '1'), ('multi-queue-num-queues', '2'),
                     ('q/tx-ring-ref', '8'), ('q/rx-ring-ref', '9'),
                     ('q/event-channel-tx', '10'), ('q/event-channel-rx', '11')]))
write('fuzz_netback_keys', 'ctrl',
      nb_keys(1, 3, [('request-rx-copy', '1'), ('ctrl-ring-ref', '5'),
                     ('event-channel-ctrl', '6'), ('q/tx-ring-ref', '8'),
                     ('q/rx-ring-ref', '9'), ('q/event-channel', '10')]))

# --- fuzz_netfront_keys: limits, then key=value lines --------------------------
def nf_keys(max_queues, flags, kv):
    return bytes([max_queues, flags]) + '\n'.join('%s=%s' % p for p in kv).encode()


write('fuzz_netfront_keys', 'linux',
      nf_keys(2, 3, [('feature-rx-copy', '1'), ('feature-sg', '1'),
                     ('feature-gso-tcpv4', '1'), ('multi-queue-max-queues', '4'),
                     ('feature-split-event-channels', '1'), ('feature-ctrl-ring', '1'),
                     ('mac', '00:16:3e:00:99:02'), ('mtu', '9000')]))

# --- fuzz_control_keys: the parser (low 2 bits; bit 2: can suspend), value --
for i, v in enumerate(['poweroff', 'halt', 'reboot', 'suspend', '']):
    write('fuzz_control_keys', 'shutdown-%d' % i, bytes([4]) + v.encode())
write('fuzz_control_keys', 'sysrq', bytes([1]) + b'h')
write('fuzz_control_keys', 'online', bytes([2]) + b'online')
write('fuzz_control_keys', 'offline', bytes([2]) + b'offline')
write('fuzz_control_keys', 'cpu-path', bytes([3]) + b'cpu/1/availability')
write('fuzz_control_keys', 'cpu-max', bytes([3]) + b'cpu/4294967295')

# --- fuzz_hvc_ring: out and in indexes (u32 each), then steps -------------
# write "hello"; the daemon consumes 5; it sends "abc"; read 16; moved
write('fuzz_hvc_ring', 'basic',
      struct.pack('<II', 0, 0) + bytes([0]) + struct.pack('<H', 5) + b'hello' +
      bytes([2, 1]) + struct.pack('<H', 5) +
      bytes([3]) + struct.pack('<H', 3) + b'abc' + bytes([1]) +
      bytes([1]) + struct.pack('<H', 16) + bytes([5]))
# indexes near the wrap; a daemon that jumps out_cons ahead; re-attach
write('fuzz_hvc_ring', 'wrap-hostile',
      struct.pack('<II', 0xfffffff0, 0xfffffffc) + bytes([0]) + struct.pack('<H', 40) +
      bytes(40) + bytes([2, 0]) + struct.pack('<I', 0x100) + bytes([0, 1, 0, 6, 7]))

# --- fuzz_xenbus_path: selector (slashes | cut << 2), domid (u32), path ----
write('fuzz_xenbus_path', 'front', bytes([2 | 6 << 2]) + struct.pack('<I', 0) + b'device/vbd/51712')
write('fuzz_xenbus_path', 'back', bytes([3 | 7 << 2]) + struct.pack('<I', 3) + b'backend/vbd/3/51712')
write('fuzz_xenbus_path', 'event', bytes([3 | 19 << 2]) + struct.pack('<I', 32752) +
      b'backend/vif/12/0/state')
write('fuzz_xenbus_path', 'odd', bytes([1 | 3 << 2]) + struct.pack('<I', 0xffffffff) + b'device//0/')

# --- fuzz_xs_proto: mode byte (even: rings, odd: parsers) -------------------
# Rings: req_cons, req_prod, rsp_cons, rsp_prod (u32 each), fill byte, steps.
def xs_rings(idx, fill, steps):
    return bytes([0]) + struct.pack('<4I', *idx) + bytes([fill]) + bytes(steps)


XS_HDR = struct.Struct('<4I')                 # type, req_id, tx_id, len
read_req = XS_HDR.pack(2, 1, 0, 5) + b'name\0'
reply = XS_HDR.pack(2, 1, 0, 4) + b'vm1\0'
# put the request; xenstored reads it; sends the reply; get it in two goes
write('fuzz_xs_proto', 'rings-basic',
      xs_rings((0, 0, 0, 0), 0, [0] + list(struct.pack('<H', len(read_req))) +
               list(read_req) + [4, len(read_req), 5, len(reply)] + list(reply) +
               [1, 16, 0, 1, 32, 0]))
# the same across 2^32, with a partial put into a nearly full ring
write('fuzz_xs_proto', 'rings-wrap',
      xs_rings((0xfffffff0, (0xfffffff0 + 1000) & 0xffffffff, 0xfffffffa, 0xfffffffa), 0x41,
               [0, 40, 0] + [0x61] * 40 + [4, 200, 0, 40, 0] + [0x62] * 40 +
               [5, 20] + list(range(20)) + [1, 8, 0, 1, 255, 0]))
# xenstored moves req_cons past req_prod and rsp_prod far ahead; then repairs
write('fuzz_xs_proto', 'rings-hostile',
      xs_rings((100, 100, 0, 0), 0, [2] + list(struct.pack('<I', 101)) +
               [0, 1, 0, 0x7a, 3] + list(struct.pack('<I', 0x80000000)) +
               [1, 4, 0, 2] + list(struct.pack('<I', 100)) + [3, 0, 0, 0, 0] +
               [0, 1, 0, 0x7a, 6] + list(struct.pack('<I', 0x10000)) + [0, 1, 0, 0]))


# Parsers: type, len (u32 each), then the body.
def xs_body(type_, body, len_=None):
    return bytes([1]) + struct.pack('<II', type_, len(body) if len_ is None else len_) + body


# Every parser sees every body; the type picks xs_user_check()'s rule.
write('fuzz_xs_proto', 'error-enoent', xs_body(16, b'ENOENT\0'))
write('fuzz_xs_proto', 'watch-event', xs_body(4, b'device/vif/0/state\0tok\0'))

# --- fuzz_xs_client: a, b, id, dir_len, node_len, max, then the body -------
# a and b (u32) are the types, a also the device message's type and b its
# tx_id; id (u64) the watch id and the second device body's length;
# dir_len and node_len (u16) the lengths of the path parts; max (u8) the
# size of the names array.
def xs_client(a, b, id_, dir_len, node_len, max_, body):
    return struct.pack('<IIQHHB', a, b, id_, dir_len, node_len, max_) + body


write('fuzz_xs_client', 'tx-start',
      xs_client(6, 6, 1, 10, 5, 4, b'4294967295\0'))
write('fuzz_xs_client', 'directory',
      xs_client(1, 1, 0x0123456789abcdef, 3000, 71, 3, b'vbd\0vif\0console\0'))
write('fuzz_xs_client', 'token',
      xs_client(15, 16, 0xdeadbeef, 3073, 0, 1, b'00000000deadbeef\0'))
write('fuzz_xs_client', 'watch',
      xs_client(4, 0, 8, 0, 0, 2, b'backend\0' + b'0000000000000001\0'))
write('fuzz_xs_client', 'tx-end-join-raw',
      xs_client(7, 3, 2, 4000, 12, 0, b'T\0'))

# --- fuzz_xs_frame: write() calls, each ctl (u8), length, fault, len, bytes --
# ctl bits 0-1 pick the length: 0 u8, 1 u16 % 4608, 2 u8 into a table of
# huge ones (SIZE_MAX is 13), 3 u8 s: what the message needs, + (s >> 1) % 3
# - 1 (so s = 2: exactly that); bit 2: a u16 fault offset follows; bit 3:
# the body's allocation fails; bit 4: a u16 for the header's len follows.
def frame_write(data, fault=None, nomem=False, hlen=None):
    ctl = 1 | (4 if fault is not None else 0) | (8 if nomem else 0) | \
        (16 if hlen is not None else 0)
    out = bytes([ctl]) + struct.pack('<H', len(data))
    if fault is not None:
        out += struct.pack('<H', fault)
    if hlen is not None:
        out += struct.pack('<H', hlen)
    return out + data


def frame_need(extra=0, nomem=False):
    return bytes([3 | (8 if nomem else 0), 2 + 2 * extra])


frame_msg = XS_HDR.pack(2, 1, 0, 5) + b'name\0'
# one write(), then the same one byte at a time
write('fuzz_xs_frame', 'one-write',
      frame_write(frame_msg + b'trailing') +
      b''.join(bytes([0, 1, c]) for c in frame_msg))
# header 15 + 1 (the 1 failing its allocation once), a fault in the body
write('fuzz_xs_frame', 'split-fault-nomem',
      frame_write(frame_msg[:15]) + frame_write(frame_msg[15:16], nomem=True) +
      frame_write(frame_msg[15:], fault=3) + frame_write(frame_msg[18:]) +
      frame_write(XS_HDR.pack(7, 2, 3, 0) + b'x', fault=16))
# -E2BIG at 4081, a write() of SIZE_MAX and of 4097 (no bytes: refused),
# then a body of 4080 exactly, its bytes the zeros after the input's end
write('fuzz_xs_frame', 'limits',
      frame_write(XS_HDR.pack(2, 1, 0, 0)[:8]) +
      frame_write(bytes(8), hlen=4081) +
      bytes([2, 13]) + bytes([1]) + struct.pack('<H', 4097) +
      frame_write(bytes(16), hlen=4080) + frame_need())
