#!/bin/sh
# .ci/github-ci.yml cannot run here: parse it with a YAML parser
# (python3-yaml), check its jobs -- the two newest hosted macOS images
# build, test and run tools/macos-smoke.sh; a Debian job runs .ci/run --
# and that every command it runs is one README.md documents. Doctored
# copies must fail the same checks.
. "$TOP/tests/lib/test-lib.sh"

command -v python3 >/dev/null 2>&1 || { not_ok "python3 missing (tools/install-deps.sh)"; done_testing; }
python3 -c 'import yaml' 2>/dev/null || { not_ok "python3-yaml missing (tools/install-deps.sh)"; done_testing; }

cat >"$T_TMP/check.py" <<'PY'
import re, sys, yaml

wf_path, readme_path = sys.argv[1], sys.argv[2]
problems = []
with open(wf_path) as f:
    wf = yaml.safe_load(f)
readme = open(readme_path).read()
# Commands README.md shows: the lines of its ```sh blocks.
documented = set()
for block in re.findall(r"```sh\n(.*?)```", readme, re.S):
    for line in block.splitlines():
        line = line.split("#")[0].strip() if line.lstrip().startswith("#") else line.strip()
        if line:
            documented.add(line)

# PyYAML reads the key `on` as the boolean true (YAML 1.1).
triggers = wf.get("on", wf.get(True))
if not triggers:
    problems.append("no triggers ('on')")
jobs = wf.get("jobs") or {}

def runs(job):
    out = []
    for step in job.get("steps") or []:
        if "uses" in step:
            if not str(step["uses"]).startswith("actions/checkout@"):
                problems.append("step uses %s: only actions/checkout is allowed" % step["uses"])
            continue
        if "run" not in step:
            problems.append("step without run or uses: %r" % step)
            continue
        for line in str(step["run"]).splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            out.append(line)
            if line not in documented:
                problems.append("command not in README.md: %s" % line)
    return out

mac = jobs.get("macos")
if not mac:
    problems.append("no macos job")
else:
    labels = ((mac.get("strategy") or {}).get("matrix") or {}).get("os") or []
    if "${{ matrix.os }}" not in str(mac.get("runs-on")):
        problems.append("the macos job does not run on its matrix")
    nums = sorted(int(m.group(1)) for m in (re.fullmatch(r"macos-(\d+)", str(l)) for l in labels) if m)
    if len(labels) != 2 or len(nums) != 2:
        problems.append("macos matrix is not two macos-NN images: %r" % labels)
    elif nums[0] < 15 or nums[1] < 26:
        problems.append("macos images are not the two newest (15 and 26 or later): %r" % labels)
    cmds = runs(mac)
    want = ["brew install pkg-config jansson libarchive libxml2 cmocka",
            "make && make check", "sh tools/macos-smoke.sh"]
    at = [cmds.index(w) if w in cmds else -1 for w in want]
    if -1 in at or at != sorted(at):
        problems.append("macos job must run, in order: %s (runs %r)" % (want, cmds))
lin = jobs.get("linux")
if not lin:
    problems.append("no linux job")
else:
    if "sh .ci/run" not in runs(lin):
        problems.append("the linux job does not run sh .ci/run")
    if "debian" not in str((lin.get("container") or {}).get("image", "")):
        problems.append("the linux job is not on Debian")
for p in problems:
    print("ci-workflow: " + p)
sys.exit(1 if problems else 0)
PY

W=$TOP/.ci/github-ci.yml
[ -f "$W" ] && ok ".ci/github-ci.yml exists" || not_ok "no .ci/github-ci.yml"
expect_rc 0 "the workflow parses and every command is documented" \
	python3 "$T_TMP/check.py" "$W" "$TOP/README.md"

# Doctored copies: each must be caught.
doctor() {
	desc=$1 sedexpr=$2 pattern=$3
	sed "$sedexpr" "$W" >"$T_TMP/w.yml"
	expect_rc 1 "caught: $desc" python3 "$T_TMP/check.py" "$T_TMP/w.yml" "$TOP/README.md"
	expect_grep "$pattern" "$T_TMP/out" "... saying: $pattern"
}
doctor "an undocumented command" 's|make && make check|make \&\& make check \&\& make bench|' \
	"command not in README.md: make && make check && make bench"
doctor "an old macOS image" 's|os: \[macos-15, macos-26\]|os: [macos-13, macos-14]|' \
	"not the two newest"
doctor "one macOS image only" 's|os: \[macos-15, macos-26\]|os: [macos-26]|' "not two macos-NN"
doctor "no smoke test" '/sh tools\/macos-smoke.sh/d' "must run, in order"
doctor "a third-party action" 's|actions/checkout@v4|someone/checkout@v1|' "only actions/checkout"
printf 'jobs: [unclosed\n' >"$T_TMP/w.yml"
expect_rc 1 "caught: YAML that does not parse" python3 "$T_TMP/check.py" "$T_TMP/w.yml" \
	"$TOP/README.md"

done_testing
