package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// A row of the table. Goal is "" for a row that is only reported; then
// Ratio is not judged. Noise is set when a ratio over Max is within the
// noise (benchstat found no significant difference).
type row struct {
	Group, Measure, Value, Goal string
	Ratio, Max                  float64
	Noise                       bool
}

func (r row) result() string {
	switch {
	case r.Goal == "":
		return "—"
	case r.Ratio == 0:
		return "not measured"
	case math.Round(r.Ratio*100)/100 <= r.Max: // as the table shows it
		return "met"
	case r.Noise:
		return "**missed**, within the noise (benchstat ~)"
	}
	return "**missed**"
}

func report(args []string) error {
	fs := flag.NewFlagSet("report", flag.ExitOnError)
	dir := fs.String("run", "bench/.cache/run", "what run.sh measured")
	out := fs.String("out", "bench/RESULTS.md", "the report to write")
	fs.Parse(args)
	var rows []row
	samples, err := readSamples(filepath.Join(*dir, "samples.jsonl"))
	if err != nil {
		return err
	}
	rows = append(rows, startupRows(samples)...)
	rows = append(rows, sizeRow(*dir))
	dirRows, err := directoryRows(*dir)
	if err != nil {
		return err
	}
	rows = append(rows, dirRows...)
	cli, err := cliRows(*dir)
	if err != nil {
		return err
	}
	rows = append(rows, cli...)
	pageRowList, pageTable := pageRows(*dir)
	rows = append(rows, pageRowList...)

	var t strings.Builder
	t.WriteString("| Group | Measure | Value | Goal | Result |\n|---|---|---|---|---|\n")
	var missed []string
	for _, r := range rows {
		goal := r.Goal
		if goal == "" {
			goal = "reported only"
		}
		fmt.Fprintf(&t, "| %s | %s | %s | %s | %s |\n", r.Group, r.Measure, r.Value, goal, r.result())
		if strings.Contains(r.result(), "missed") {
			missed = append(missed, r.Measure)
		}
	}
	if len(missed) > 0 {
		fmt.Fprintf(&t, "\nGoals missed: %s.\n", strings.Join(missed, "; "))
	} else {
		t.WriteString("\nEvery goal met.\n")
	}
	meta, _ := os.ReadFile(filepath.Join(*dir, "meta.txt"))
	fmt.Printf("\n%s\n%s", meta, t.String())

	var md strings.Builder
	md.WriteString("# Benchmark results\n\nMade by `make bench` (bench/run.sh; bench/README.md says what is measured and how). " +
		"Ratios compare runs made in the same run: first frames in pairs whose order alternates, the Go benchmarks by benchstat. " +
		"Goals are reported, never asserted.\n\n")
	for _, l := range strings.Split(strings.TrimSpace(string(meta)), "\n") {
		md.WriteString("- " + l + "\n")
	}
	md.WriteString("\n" + t.String())
	if pageTable != "" {
		fmt.Fprintf(&md, "\n## Page builds and transitions (median of each)\n\n%s", pageTable)
	}
	for _, f := range []struct{ title, file string }{
		{"benchstat: the directory backend at 10 and 100,000 people", "benchstat.txt"},
		{"Populating", "populate.txt"},
	} {
		if b, err := os.ReadFile(filepath.Join(*dir, f.file)); err == nil {
			fmt.Fprintf(&md, "\n## %s\n\n```\n%s```\n", f.title, b)
		}
	}
	// What follows keptMarker in the old report was written by hand or by
	// make mutate, not by this run: it stays.
	if old, err := os.ReadFile(*out); err == nil {
		if _, kept, ok := strings.Cut(string(old), keptMarker); ok {
			md.WriteString("\n" + keptMarker + kept)
		}
	}
	return os.WriteFile(*out, []byte(md.String()), 0o644)
}

// keptMarker starts the part of bench/RESULTS.md that make bench keeps as
// it is (the idle CPU measured by hand, make mutate's score).
const keptMarker = "<!-- Below: not written by make bench, kept as it is. -->"

func readSamples(path string) ([]Sample, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Sample
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var s Sample
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, s)
	}
	return out, sc.Err()
}

// median returns the median and the interquartile range of xs.
func median(xs []float64) (med, lo, hi float64) {
	if len(xs) == 0 {
		return 0, 0, 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	q := func(p float64) float64 {
		i := p * float64(len(s)-1)
		f := float64(int(i))
		j := min(int(i)+1, len(s)-1)
		return s[int(i)] + (i-f)*(s[j]-s[int(i)])
	}
	return q(0.5), q(0.25), q(0.75)
}

// baseName names the baseline of each kind of pair.
var baseName = map[string]string{"form": "plain form", "label": "one-label window", "station": "plain form"}

// pairs compares the app (the demo, or the station in a station pair)
// with its baseline in the pairs of kind in group by field: the medians of
// both and of the app÷baseline ratios of the pairs where both have a value.
func pairs(samples []Sample, group, kind string, field func(Sample) float64) (app, other, ratio, lo, hi float64, n int) {
	type pair struct{ app, base float64 }
	byRound := map[int]*pair{}
	for _, s := range samples {
		if s.Group != group || s.Pair != kind {
			continue
		}
		if byRound[s.Round] == nil {
			byRound[s.Round] = &pair{}
		}
		if s.Prog == "form" || s.Prog == "label" {
			byRound[s.Round].base = field(s)
		} else {
			byRound[s.Round].app = field(s)
		}
	}
	var as, bs, rs []float64
	for _, p := range byRound {
		if p.app > 0 && p.base > 0 {
			as, bs, rs = append(as, p.app), append(bs, p.base), append(rs, p.app/p.base)
		}
	}
	app, _, _ = median(as)
	other, _, _ = median(bs)
	ratio, lo, hi = median(rs)
	return app, other, ratio, lo, hi, len(rs)
}

func startupRows(samples []Sample) []row {
	frame := func(s Sample) float64 { return s.FrameMS }
	ext := func(s Sample) float64 { return s.ExtMS }
	peak := func(s Sample) float64 { return float64(s.PeakKB) }
	anon := func(s Sample) float64 { return float64(s.AnonKB) }
	type spec struct {
		group, kind, measure, unit string
		field                      func(Sample) float64
		max                        float64
	}
	specs := []spec{
		{"warm", "form", "first frame, warm, in-process (first swap)", "ms", frame, 1.05},
		{"warm", "label", "first frame, warm, in-process (first swap)", "ms", frame, 1.10},
		{"cold", "form", "first frame, cold, in-process (first swap)", "ms", frame, 1.10},
		{"cold", "label", "first frame, cold, in-process (first swap)", "ms", frame, 0},
		{"warm", "form", "first frame, warm, external (X DAMAGE)", "ms", ext, 1.05},
		{"warm", "label", "first frame, warm, external (X DAMAGE)", "ms", ext, 1.10},
		{"cold", "form", "first frame, cold, external (X DAMAGE)", "ms", ext, 1.10},
		{"cold", "label", "first frame, cold, external (X DAMAGE)", "ms", ext, 0},
		{"warm", "label", "peak RSS (VmHWM) at the first frame, warm", "MB", peak, 1.05},
		{"warm", "form", "peak RSS (VmHWM) at the first frame, warm", "MB", peak, 0},
		{"cold", "label", "peak RSS (VmHWM) at the first frame, cold", "MB", peak, 0},
		{"warm", "label", "anonymous RSS (RssAnon) at the first frame, warm", "MB", anon, 0},
		{"warm", "form", "anonymous RSS (RssAnon) at the first frame, warm", "MB", anon, 0},
		{"warm", "station", "station (demo off): first frame, warm, in-process (first swap)", "ms", frame, 1.05},
		{"cold", "station", "station (demo off): first frame, cold, in-process (first swap)", "ms", frame, 1.10},
		{"warm", "station", "station (demo off): peak RSS (VmHWM) at the first frame, warm", "MB", peak, 0},
	}
	var rows []row
	for _, s := range specs {
		app, other, ratio, lo, hi, n := pairs(samples, s.group, s.kind, s.field)
		who := "app"
		if s.kind == "station" {
			who = "station"
		}
		if s.unit == "MB" {
			app, other = app/1024, other/1024
		}
		r := row{Group: "Start-up (Xvfb, llvmpipe)", Measure: s.measure + " vs " + baseName[s.kind], Ratio: ratio, Max: s.max,
			Value: fmt.Sprintf("%s %.0f %s, %s %.0f %s: **%.2f×** (pair ratios IQR %.2f–%.2f, %d pairs)",
				who, app, s.unit, baseName[s.kind], other, s.unit, ratio, lo, hi, n)}
		if s.max > 0 {
			r.Goal = fmt.Sprintf("≤ %.2f× %s", s.max, baseName[s.kind])
		}
		rows = append(rows, r)
	}
	inits := map[string][]float64{}
	top := ""
	for _, s := range samples {
		if s.Group == "init" {
			inits[s.Prog] = append(inits[s.Prog], s.InitMS)
			if s.Prog == "app" {
				top = s.InitTop
			}
		}
	}
	a, _, _ := median(inits["app"])
	f, _, _ := median(inits["form"])
	l, _, _ := median(inits["label"])
	rows = append(rows, row{Group: "Start-up (Xvfb, llvmpipe)", Measure: "package init (GODEBUG=inittrace=1, sum of clock times)",
		Value: fmt.Sprintf("app %.1f ms, plain form %.1f ms, one-label window %.1f ms (median of %d); the app's slowest: %s",
			a, f, l, len(inits["app"]), top)})
	return rows
}

// sizeRow reads sizes.txt: "NAME BYTES" lines.
func sizeRow(dir string) row {
	b, _ := os.ReadFile(filepath.Join(dir, "sizes.txt"))
	sizes := map[string]float64{}
	for _, l := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(l, " "); ok {
			sizes[k], _ = strconv.ParseFloat(v, 64)
		}
	}
	r := row{Group: "Binary", Measure: "size, built as make build does (no probe)"}
	if sizes["minimal"] > 0 {
		r.Value = fmt.Sprintf("app %.1f MB, minimal %.1f MB: %.2f×", sizes["app"]/1e6, sizes["minimal"]/1e6, sizes["app"]/sizes["minimal"])
	}
	return r
}

// benchLine is a go test -bench result line of a directory benchmark.
var benchLine = regexp.MustCompile(`^Benchmark(Directory_\w+)/people=(\d+)(?:-\d+)?\s+\d+\s+([0-9.]+) ns/op`)

// statLine is benchstat's comparison of a benchmark across sizes.
var statLine = regexp.MustCompile(`^(Directory_\w+)(?:-\d+)?\s.*\s(~|[+-][0-9.]+%)\s+\((p=[0-9.]+ n=\d+)\)`)

func directoryRows(dir string) ([]row, error) {
	b, err := os.ReadFile(filepath.Join(dir, "directory.txt"))
	if err != nil {
		return []row{{Group: "Directory (slapd)", Measure: "benchmarks", Value: "not run: " + err.Error()}}, nil
	}
	times := map[string]map[string][]float64{}
	var names []string
	for _, l := range strings.Split(string(b), "\n") {
		if m := benchLine.FindStringSubmatch(l); m != nil {
			if times[m[1]] == nil {
				times[m[1]] = map[string][]float64{}
				names = append(names, m[1])
			}
			v, _ := strconv.ParseFloat(m[3], 64)
			times[m[1]][m[2]] = append(times[m[1]][m[2]], v/1e6)
		}
	}
	stats := map[string]string{}
	if sb, err := os.ReadFile(filepath.Join(dir, "benchstat.txt")); err == nil {
		for _, l := range strings.Split(string(sb), "\n") {
			if m := statLine.FindStringSubmatch(l); m != nil && stats[m[1]] == "" {
				stats[m[1]] = m[2] + " " + m[3]
			}
		}
	}
	what := map[string]string{
		"Directory_Search":     "helpdesk search (EachAccount, one uid, limit 21)",
		"Directory_Bind":       "sign-in (Bind with the password)",
		"Directory_Register":   "registration (AddMethod of an authenticator app, then Methods)",
		"Directory_ShareCount": "counting the people with an app (how unknown names answer; in the background, right after the first frame and then hourly)",
	}
	var rows []row
	if m := regexp.MustCompile(`(?m)^populated people=100000 in ([0-9.]+)s`).FindSubmatch(b); m != nil {
		rows = append(rows, row{Group: "Directory (slapd)", Measure: "populating 100,000 people (one LDIF, slapadd, restart; not timed)",
			Value: string(m[1]) + " s"})
	}
	for _, n := range names {
		small, _, _ := median(times[n]["10"])
		large, _, _ := median(times[n]["100000"])
		r := row{Group: "Directory (slapd)", Measure: what[n] + ", 100,000 vs 10 people", Goal: "≤ 1.10× people=10", Max: 1.10,
			Value: fmt.Sprintf("10: %.2f ms, 100,000: %.2f ms: **%.2f×** (median of %d; benchstat %s)",
				small, large, large/small, len(times[n]["100000"]), stats[n])}
		if small > 0 {
			r.Ratio = large / small
		}
		r.Noise = strings.HasPrefix(stats[n], "~")
		if n == "Directory_Register" {
			// Its two writes grow with slapd's B-trees, not with anything
			// the app asks (bench/README.md): reported, not judged.
			r.Goal, r.Max = "", 0
			r.Value += "; grows in slapd's own writes (bench/README.md)"
		}
		if n == "Directory_ShareCount" {
			// It reads every person: it grows with their number.
			r.Goal, r.Max = "", 0
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// hyperfineResult is what cliRows reads of hyperfine's --export-json.
type hyperfineResult struct {
	Results []struct {
		Command string    `json:"command"`
		Median  float64   `json:"median"`
		Times   []float64 `json:"times"`
	} `json:"results"`
}

// cliRows compares the admin commands on the small and the large local
// data dir: cli-SIZE-I.json from hyperfine (one per command), rss.txt ("SIZE NAME KB" lines
// from /usr/bin/time -f %M).
func cliRows(dir string) ([]row, error) {
	sizes := []struct{ key, label string }{{"small", "1,000 accounts, 10,000 audit entries"}, {"large", "100,000 accounts, 1,000,000 audit entries"}}
	med := map[string]map[string]float64{}
	var order []string
	for _, s := range sizes {
		// cli-SIZE-I.json from hyperfine, one per command, or
		// cli-SIZE-I-rR.json, one per round of a command measured in
		// rounds that alternate the sizes (its median is of every
		// round's runs); or one for all (cli-SIZE.json, as older runs
		// left).
		files, _ := filepath.Glob(filepath.Join(dir, "cli-"+s.key+"-*.json"))
		num := regexp.MustCompile(`-(\d+)(?:-r(\d+))?\.json$`)
		key := func(f string) (int, int) {
			m := num.FindStringSubmatch(f)
			if m == nil {
				return -1, -1
			}
			i, _ := strconv.Atoi(m[1])
			r, _ := strconv.Atoi(m[2]) // "" (no rounds) reads as 0
			return i, r
		}
		sort.Slice(files, func(a, b int) bool {
			ia, ra := key(files[a])
			ib, rb := key(files[b])
			return ia < ib || ia == ib && ra < rb
		})
		if len(files) == 0 {
			files = []string{filepath.Join(dir, "cli-"+s.key+".json")}
		}
		med[s.key] = map[string]float64{}
		times := map[string][]float64{}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				return []row{{Group: "Admin commands (local)", Measure: "hyperfine", Value: "not run: " + err.Error()}}, nil
			}
			var h hyperfineResult
			if err := json.Unmarshal(b, &h); err != nil {
				return nil, fmt.Errorf("%s: %w", f, err)
			}
			for _, r := range h.Results {
				if _, seen := times[r.Command]; !seen && s.key == "small" {
					order = append(order, r.Command)
				}
				ts := r.Times
				if len(ts) == 0 {
					ts = []float64{r.Median}
				}
				times[r.Command] = append(times[r.Command], ts...)
			}
		}
		for c, ts := range times {
			m, _, _ := median(ts)
			med[s.key][c] = m * 1000
		}
	}
	rss := map[string]float64{}
	b, _ := os.ReadFile(filepath.Join(dir, "rss.txt"))
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) < 3 {
			continue
		}
		kb, _ := strconv.ParseFloat(f[len(f)-1], 64)
		k := f[0] + " " + strings.Join(f[1:len(f)-1], " ")
		rss[k] = max(rss[k], kb/1024)
	}
	var rows []row
	if p, err := os.ReadFile(filepath.Join(dir, "populate.txt")); err == nil {
		if m := regexp.MustCompile(`(?m)^local large: .*seconds=([0-9.]+) file_mb=([0-9.]+)`).FindSubmatch(p); m != nil {
			rows = append(rows, row{Group: "Admin commands (local)", Measure: "populating the large data dir (bench/populate; cached between runs)",
				Value: fmt.Sprintf("%s s, data file %s MB", m[1], m[2])})
		}
	}
	for _, c := range order {
		s, l := med["small"][c], med["large"][c]
		rs, rl := rss["small "+c], rss["large "+c]
		r := row{Group: "Admin commands (local)", Measure: "`securityinfo " + c + "`",
			Value: fmt.Sprintf("%s: %.0f ms, peak RSS %.0f MB; %s: %.0f ms, peak RSS %.0f MB: %.2f× time, %.2f× memory",
				sizes[0].label, s, rs, sizes[1].label, l, rl, l/s, rl/rs)}
		switch {
		case c == "audit list":
			// Every entry is printed, so the time grows with the log;
			// the memory must not.
			r.Goal, r.Max = fmt.Sprintf("peak RSS ≤ %d MB at 1,000,000 entries", maxAuditRSS), 1
			if rl > 0 {
				r.Ratio = rl / maxAuditRSS
			}
		case strings.HasPrefix(c, "audit list --"):
			// A filter reads only what it prints (the indexes): as fast at
			// a million entries as at ten thousand.
			r.Goal, r.Max = "≤ 1.10× the time at 10,000 entries", 1.10
			if s > 0 {
				r.Ratio = l / s
			}
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// maxAuditRSS is the most memory (MB) audit list may take at a million
// entries.
const maxAuditRSS = 64

// pageLine is a go test -bench result line of the ui and wizard
// benchmarks.
var pageLine = regexp.MustCompile(`^Benchmark(\S+?)(?:-\d+)?\s+\d+\s+([0-9.]+) ns/op`)

// maxPageMS is the most a page build or a transition on the UI thread may
// take (median).
const maxPageMS = 3.0

// pageRows reads pages.txt (go test -bench of ui and wizard): a row per
// family of benchmarks with its slowest median, judged against maxPageMS
// where the work runs on the UI thread, and a table of every median.
// Names with "+bg" and the wizard's submit include background work (the
// sign-in check, the code check and save, with their disk writes): those
// are reported only.
func pageRows(dir string) ([]row, string) {
	b, err := os.ReadFile(filepath.Join(dir, "pages.txt"))
	if err != nil {
		return []row{{Group: "Pages (Fyne test driver)", Measure: "page builds and transitions", Value: "not run: " + err.Error()}}, ""
	}
	times := map[string][]float64{}
	var names []string
	for _, l := range strings.Split(string(b), "\n") {
		if m := pageLine.FindStringSubmatch(l); m != nil {
			if times[m[1]] == nil {
				names = append(names, m[1])
			}
			v, _ := strconv.ParseFloat(m[2], 64)
			times[m[1]] = append(times[m[1]], v/1e6)
		}
	}
	type family struct{ prefix, measure string }
	families := []family{
		{"Page/", "page builds on the UI thread (ui BenchmarkPage: each page shown for the flow's state)"},
		{"Transition/", "transitions on the UI thread (ui BenchmarkTransition: the tap, the flow's step, the next page)"},
		{"Flow/", "transitions of the flow alone (wizard BenchmarkFlow)"},
	}
	background := func(n string) bool { return strings.Contains(n, "+bg") || strings.HasSuffix(n, "-submit") }
	var rows []row
	var bg []string
	var t strings.Builder
	t.WriteString("| Benchmark | Median | Runs | Goal |\n|---|---|---|---|\n")
	for _, n := range names {
		med, _, _ := median(times[n])
		goal := fmt.Sprintf("≤ %.0f ms", maxPageMS)
		switch {
		case background(n):
			goal = "reported only (background work included)"
			bg = append(bg, fmt.Sprintf("%s %.2f ms", n, med))
		case n == "New":
			goal = "reported only (the sign-in page, before the first frame)"
			rows = append(rows, row{Group: "Pages (Fyne test driver)", Measure: "ui.New: the sign-in page built and shown (BenchmarkNew)",
				Value: fmt.Sprintf("%.2f ms (median of %d)", med, len(times[n]))})
		case n == "BuildPages":
			goal = "reported only (every other page, right after the first frame)"
			rows = append(rows, row{Group: "Pages (Fyne test driver)", Measure: "every other page built after the first frame (BenchmarkBuildPages)",
				Value: fmt.Sprintf("%.2f ms (median of %d)", med, len(times[n]))})
		}
		fmt.Fprintf(&t, "| %s | %.2f ms | %d | %s |\n", n, med, len(times[n]), goal)
	}
	for _, f := range families {
		var slowest string
		var worst float64
		count := 0
		for _, n := range names {
			if !strings.HasPrefix(n, f.prefix) || background(n) {
				continue
			}
			count++
			if med, _, _ := median(times[n]); med > worst {
				worst, slowest = med, n
			}
		}
		if count == 0 {
			continue
		}
		rows = append(rows, row{Group: "Pages (Fyne test driver)", Measure: f.measure, Goal: fmt.Sprintf("each ≤ %.0f ms (median)", maxPageMS),
			Ratio: worst / maxPageMS, Max: 1,
			Value: fmt.Sprintf("%d benchmarks; the slowest: %s %.2f ms (every median below)", count, slowest, worst)})
	}
	if len(bg) > 0 {
		rows = append(rows, row{Group: "Pages (Fyne test driver)", Measure: "transitions with their background work (+bg, submit)",
			Value: strings.Join(bg, "; ")})
	}
	return rows, t.String()
}
