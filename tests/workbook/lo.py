"""Run LibreOffice headless for the workbook test scripts (aws_layout.py, grade.py).

One conversion = one soffice process with a private profile under a work folder that the
caller owns and removes. Everything LibreOffice writes (profile, output, temporary files,
caches) stays in that folder, except its single-instance IPC socket, which LibreOffice always
puts in /tmp (OSL_PIPE_<uid>_SingleOfficeIPC_<hash of the profile URL>); LibreOffice removes it
when it exits normally, and convert() removes it when it has to stop LibreOffice itself.
"""

import hashlib
import os
import shutil
import signal
import subprocess

TIMEOUT = 300
# /org.openoffice.Office.Calc/Formula/Load/OOXMLRecalcMode: 0 always, 1 never (default), 2 ask.
XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>{mode}</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>{mode}</value></prop></item>
</oor:items>
"""


class Failure(Exception):
    pass


def ipc_socket(profile_url):
    """The socket LibreOffice creates for a profile: MD5 of the URL's UTF-16LE code units,
    each byte in hex without leading zero."""
    digest = hashlib.md5(profile_url.encode("utf-16-le")).digest()
    name = f"OSL_PIPE_{os.getuid()}_SingleOfficeIPC_" + "".join(format(b, "x") for b in digest)
    return [os.path.join(d, name) for d in ("/tmp", "/var/tmp")]


def recalc_setting(work):
    """The OOXMLRecalcMode the profile under work holds after the run, or None."""
    import re
    try:
        with open(os.path.join(work, "profile", "user", "registrymodifications.xcu")) as f:
            reg = f.read()
    except OSError:
        return None
    m = re.search(r'oor:name="OOXMLRecalcMode"[^>]*>\s*<value>(\d+)</value>', reg)
    return int(m.group(1)) if m else None


def convert(src, work, recalc_mode=None, filt="xlsx:Calc MS Excel 2007 XML"):
    """Open src in LibreOffice and save it as xlsx into work/out; return the output path.

    recalc_mode None keeps LibreOffice's default for OOXML formula recalculation on load
    (1, never); 0 makes it recalculate every formula whatever the file caches."""
    exe = shutil.which("soffice")
    if not exe:
        raise Failure("soffice (LibreOffice) is not on PATH; install LibreOffice Calc "
                      "(apt-get install libreoffice-calc)")
    profile = os.path.join(work, "profile")
    if recalc_mode is not None:
        os.makedirs(os.path.join(profile, "user"), exist_ok=True)
        with open(os.path.join(profile, "user", "registrymodifications.xcu"), "w") as f:
            f.write(XCU.format(mode=recalc_mode))
    home = os.path.join(work, "home")
    tmp = os.path.join(work, "tmp")
    os.makedirs(home, exist_ok=True)
    os.makedirs(tmp, exist_ok=True)
    env = dict(os.environ, HOME=home, TMPDIR=tmp, TMP=tmp, TEMP=tmp,
               XDG_CACHE_HOME=os.path.join(home, ".cache"),
               XDG_CONFIG_HOME=os.path.join(home, ".config"),
               XDG_DATA_HOME=os.path.join(home, ".local", "share"),
               XDG_RUNTIME_DIR=tmp, SAL_USE_VCLPLUGIN="svp")
    outdir = os.path.join(work, "out")
    url = "file://" + profile
    cmd = [exe, f"-env:UserInstallation={url}", "--headless", "--invisible", "--norestore",
           "--nolockcheck", "--nodefault", "--calc", "--convert-to", filt, "--outdir", outdir,
           src]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, cwd=work, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=TIMEOUT)
    except BaseException as e:
        stop(proc, url)
        if isinstance(e, subprocess.TimeoutExpired):
            raise Failure(f"LibreOffice did not finish within {TIMEOUT} s") from None
        raise
    result = os.path.join(outdir, os.path.splitext(os.path.basename(src))[0] + ".xlsx")
    if proc.returncode != 0 or not os.path.exists(result):
        detail = " ".join(line.strip() for line in (err + "\n" + out).splitlines()
                          if line.strip() and "javaldx" not in line)
        raise Failure(f"LibreOffice could not convert the workbook (exit {proc.returncode})"
                      + (f": {detail}" if detail else ""))
    if recalc_mode is not None and recalc_setting(work) != recalc_mode:
        raise Failure(f"LibreOffice did not keep OOXMLRecalcMode={recalc_mode} in its profile")
    return result


def stop(proc, url):
    """Stop the soffice process group this module started: TERM, up to 10 s, then KILL."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()
    for path in ipc_socket(url):
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
