#!/usr/bin/env python3
# Usage: hidden_check.py HEX  -- prints "type plaintext-hex" for every hidden AVP (secret "tunnelsecret").
# Independent RFC 2661 section 4.3 decoder (written from the RFC text, not from the Java code).
import hashlib, sys
msg = bytes.fromhex(sys.argv[1]); secret = b"tunnelsecret"
off = 12; rv = None
while off < len(msg):
    fl = int.from_bytes(msg[off:off+2], 'big'); ln = fl & 0x3ff
    typ = int.from_bytes(msg[off+4:off+6], 'big'); val = msg[off+6:off+ln]
    if typ == 36: rv = val
    if fl & 0x4000:
        out = bytearray(); prev = None
        for i in range(0, len(val), 16):
            b = hashlib.md5((typ.to_bytes(2,'big') + secret + rv) if i == 0 else (secret + prev)).digest()
            c = val[i:i+16]; out += bytes(x ^ y for x, y in zip(c, b)); prev = c
        n = int.from_bytes(out[:2], 'big'); print(typ, out[2:2+n].hex(), repr(bytes(out[2:2+n])))
    off += ln
