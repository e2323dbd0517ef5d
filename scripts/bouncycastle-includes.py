#!/usr/bin/env python3
"""Prints the shade <include> lines for failover-app/pom.xml's BouncyCastle filter: the classes
that MD4Digest, SHA1Digest, DESEngine and KeyParameter (what ppp-core's MsChapV2 uses) reference,
transitively, by the constant pools javap shows. A package of which 70 % or more is reached is
included whole. Run after a BouncyCastle upgrade when ShadedJarTest fails:
    scripts/bouncycastle-includes.py ~/.m2/repository/org/bouncycastle/bcprov-jdk18on/V/bcprov-jdk18on-V.jar
"""
import collections
import os
import re
import subprocess
import sys
import tempfile
import zipfile

ROOTS = ["org/bouncycastle/crypto/digests/MD4Digest", "org/bouncycastle/crypto/digests/SHA1Digest",
         "org/bouncycastle/crypto/engines/DESEngine", "org/bouncycastle/crypto/params/KeyParameter"]

with tempfile.TemporaryDirectory() as d:
    with zipfile.ZipFile(sys.argv[1]) as z:
        z.extractall(d, [n for n in z.namelist() if n.startswith("org/") and n.endswith(".class")])
    os.chdir(d)
    seen, todo = set(), list(ROOTS)
    while todo:
        c = todo.pop()
        if c in seen:
            continue
        seen.add(c)
        out = subprocess.run(["javap", "-v", c + ".class"], capture_output=True, text=True, check=True).stdout
        todo += [m for m in re.findall(r"(org/bouncycastle/[A-Za-z0-9_/$]+)", out)
                 if m not in seen and os.path.exists(m + ".class")]
    by_pkg = collections.defaultdict(set)
    for s in seen:
        top = s.split("$")[0]
        by_pkg[top.rsplit("/", 1)[0]].add(top.rsplit("/", 1)[1])
    print("<include>META-INF/LICENSE.md</include>")
    for pkg, classes in sorted(by_pkg.items()):
        total = len({f.split("$")[0] for f in os.listdir(pkg) if f.endswith(".class")})
        if len(classes) * 10 >= total * 7:
            print(f"<include>{pkg}/*.class</include>")
        else:
            for c in sorted(classes):
                print(f"<include>{pkg}/{c}.class</include>")
                print(f"<include>{pkg}/{c}$*.class</include>")
