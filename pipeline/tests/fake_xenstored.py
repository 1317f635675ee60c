#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""A stand-in xenstored for the host tests of xhostbe (pipeline/tools).

    fake_xenstored.py SOCKET OUT.json [connect|never|exists]

Serves one client on the Unix socket SOCKET with the xenstore wire
protocol (a header of four little-endian u32: type, req_id, tx_id, len,
then the body).  Domain 5 exists.  A transaction is applied as it goes
(the client is alone).  With "connect" a frontend of domain 5 plays
netfront: once its device/vif/7 is in Initialising and the backend in
InitWait, it publishes a queue and goes Connected; when the backend goes
Closing it goes Closed.  With "never" it never answers; with "exists"
device/vif/7 is there from the start.  When the client hangs up, OUT.json
gets the tree, the permissions, the requests in order (type, transaction,
path and the rest of the body's strings) and the tree as it was when the
first transaction was committed.
"""
import json
import os
import socket
import struct
import sys
import threading
import time

XS_DIRECTORY, XS_READ, XS_TX_START, XS_TX_END = 1, 2, 6, 7
XS_WRITE, XS_MKDIR, XS_RM, XS_SET_PERMS, XS_ERROR = 11, 12, 13, 14, 16
FE = '/local/domain/5/device/vif/7'

sock_path, out_path = sys.argv[1], sys.argv[2]
mode = sys.argv[3] if len(sys.argv) > 3 else 'connect'
tree = {'/local/domain/5': '', '/local/domain/0/backend': ''}
perms = {}
ops = []
committed = {}
lock = threading.Lock()
if mode == 'exists':
    tree[FE] = ''
    tree[FE + '/state'] = '1'


def frontend():
    while mode == 'connect':
        time.sleep(0.05)
        with lock:
            be = tree.get(FE + '/backend')
            if not be:
                continue
            fe_st, be_st = tree.get(FE + '/state'), tree.get(be + '/state')
            if fe_st == '1' and be_st == '2':
                tree[FE + '/tx-ring-ref'] = '8'
                tree[FE + '/rx-ring-ref'] = '9'
                tree[FE + '/event-channel'] = '12'
                tree[FE + '/state'] = '4'
            elif be_st == '5' and fe_st in ('4', '5'):
                tree[FE + '/state'] = '6'


def recv(c, n):
    b = b''
    while len(b) < n:
        x = c.recv(n - len(b))
        if not x:
            raise EOFError
        b += x
    return b


def handle(t, body):
    parts = body.split(b'\0')
    p = parts[0].decode()
    kids = sorted(set(k[len(p) + 1:].split('/')[0]
                      for k in tree if k.startswith(p + '/')))
    if t == XS_READ:
        if p in tree or kids:
            return t, tree.get(p, '').encode()
        return XS_ERROR, b'ENOENT\0'
    if t == XS_DIRECTORY:
        if p in tree or kids:
            return t, b''.join(k.encode() + b'\0' for k in kids)
        return XS_ERROR, b'ENOENT\0'
    if t == XS_TX_START:
        return t, b'1\0'
    if t == XS_TX_END:
        if not committed:
            committed.update(tree)
        return t, b'OK\0'
    if t == XS_WRITE:
        tree[p] = body[len(p) + 1:].decode()
        return t, b'OK\0'
    if t == XS_MKDIR:
        tree.setdefault(p, '')
        return t, b'OK\0'
    if t == XS_RM:
        if p not in tree and not kids:
            return XS_ERROR, b'ENOENT\0'
        for k in list(tree):
            if k == p or k.startswith(p + '/'):
                del tree[k]
                perms.pop(k, None)
        return t, b'OK\0'
    if t == XS_SET_PERMS:
        perms[p] = [x.decode() for x in parts[1:] if x]
        return t, b'OK\0'
    return XS_ERROR, b'EINVAL\0'


def main():
    try:
        os.unlink(sock_path)
    except FileNotFoundError:
        pass
    s = socket.socket(socket.AF_UNIX)
    s.bind(sock_path)
    s.listen(1)
    threading.Thread(target=frontend, daemon=True).start()
    c, _ = s.accept()
    try:
        while True:
            t, rid, tx, ln = struct.unpack('<IIII', recv(c, 16))
            body = recv(c, ln)
            with lock:
                parts = [x.decode() for x in body.split(b'\0')]
                ops.append([t, tx, parts[0], [x for x in parts[1:] if x]])
                rt, rep = handle(t, body)
            c.sendall(struct.pack('<IIII', rt, rid, tx, len(rep)) + rep)
    except (EOFError, ConnectionError):
        pass
    with open(out_path, 'w') as f:
        json.dump({'tree': tree, 'perms': perms, 'ops': ops,
                   'committed': committed}, f)


main()
