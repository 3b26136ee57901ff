// Command report turns what bench/run.sh measured into one table, printed
// and written to bench/RESULTS.md with the run's notes.
//
//	report -dir bench/.cache/run -out bench/RESULTS.md [-notes bench/NOTES.md]
//
// It reads, from -dir: samples.jsonl (bench/measure), gotest.txt (go test
// -bench output), sizes.txt ("PROGRAM VARIANT BYTES" lines), populate.txt
// (bench/populate's lines), meta.txt ("key: value" lines) and, if present,
// wallclock-*.txt (bench/wallclock summaries). Nothing here asserts a
// timing: a target is reported as met or missed.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Sample is bench/measure's record.
type Sample struct {
	Kind      string  `json:"kind"`
	Group     string  `json:"group"`
	Prog      string  `json:"prog"`
	Size      int     `json:"size"`
	Run       int     `json:"run"`
	MS        float64 `json:"ms"`
	VisibleMS float64 `json:"visible_ms"`
	BeforeMS  float64 `json:"before_ms"`
	RSSKB     int64   `json:"rss_kb"`
	CPUMS     float64 `json:"cpu_ms"`
}

// Frame is one 16.7 ms frame at 60 Hz: the UI-thread budget.
const frameMS = 16.0

type row struct{ group, measure, value, target, result string }

var rows []row

func add(group, measure, value, target, result string) {
	rows = append(rows, row{group, measure, value, target, result})
}

func metOr(ok bool) string {
	if ok {
		return "met"
	}
	return "**missed**"
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// quartiles returns the 25th and 75th percentiles.
func quartiles(xs []float64) (float64, float64) {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s) == 0 {
		return 0, 0
	}
	at := func(q float64) float64 {
		i := q * float64(len(s)-1)
		lo := int(i)
		if lo+1 >= len(s) {
			return s[lo]
		}
		return s[lo] + (i-float64(lo))*(s[lo+1]-s[lo])
	}
	return at(0.25), at(0.75)
}

// iqr formats a median with its interquartile range.
func iqr(xs []float64) string {
	q1, q3 := quartiles(xs)
	return fmt.Sprintf("%.0f ms (IQR %.0f–%.0f)", median(xs), q1, q3)
}

func main() {
	dir := flag.String("dir", "bench/.cache/run", "where run.sh left its measurements")
	out := flag.String("out", "bench/RESULTS.md", "the Markdown file to write")
	notes := flag.String("notes", "bench/NOTES.md", "hand-written findings to include")
	flag.Parse()

	meta := readMeta(filepath.Join(*dir, "meta.txt"))
	samples := readSamples(filepath.Join(*dir, "samples.jsonl"))
	benches := readBenches(filepath.Join(*dir, "gotest.txt"))
	sizes := readSizes(filepath.Join(*dir, "sizes.txt"))
	populate := readLines(filepath.Join(*dir, "populate.txt"))

	var missed []string
	startup(samples, &missed)
	binaries(sizes)
	responsiveness(benches, &missed)
	scale(samples, benches, populate, &missed)

	var b strings.Builder
	fmt.Fprintf(&b, "# Benchmark results\n\n")
	fmt.Fprintf(&b, "Made by `make bench` (bench/run.sh); see bench/README.md for what is measured and how. ")
	fmt.Fprintf(&b, "Ratios compare runs made alternately in this one run. Timings are reported, never asserted.\n\n")
	for _, k := range []string{"date", "commit", "machine", "go", "display", "renderer", "duration"} {
		if v, ok := meta[k]; ok {
			fmt.Fprintf(&b, "- %s: %s\n", k, v)
		}
	}
	b.WriteString("\n")
	table := renderTable()
	b.WriteString(table)
	fmt.Fprintf(&b, "\n")
	if len(missed) > 0 {
		fmt.Fprintf(&b, "Targets missed: %s.\n\n", strings.Join(missed, "; "))
	} else {
		fmt.Fprintf(&b, "Every target was met.\n\n")
	}
	b.WriteString("## Notes\n\n")
	if n, err := os.ReadFile(*notes); err == nil {
		b.Write(n)
		b.WriteString("\n")
	}
	if len(populate) > 0 {
		b.WriteString("### Populated directories (bench/populate)\n\n```\n")
		for _, l := range populate {
			b.WriteString(l + "\n")
		}
		b.WriteString("```\n\n")
	}
	wcs, _ := filepath.Glob(filepath.Join(*dir, "wallclock-*.txt"))
	if len(wcs) > 0 {
		b.WriteString("### Where the UI thread's start-up time goes (bench/wallclock, this run)\n\n")
		b.WriteString("Stack samples of the main goroutine (Fyne's UI thread) every 2 ms, from process start up to the app's median ")
		b.WriteString("first frame of the group, averaged over the trace runs; the binaries are the real ones with ")
		b.WriteString("bench/profile/wallclock.go.in added at build time by `go build -overlay` (no source change). ")
		b.WriteString("Each sample counts for the first phase whose function is on the stack. The minimal window's column ")
		b.WriteString("covers the same span, so after its own first frame it shows up as \"later frames and events\".\n\n")
		b.WriteString(phaseTable(*dir))
		for _, f := range wcs {
			t, _ := os.ReadFile(f)
			name := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "wallclock-"), ".txt")
			fmt.Fprintf(&b, "<details><summary>%s</summary>\n\n```\n%s```\n\n</details>\n\n", name, t)
		}
	}
	if err := os.WriteFile(*out, []byte(b.String()), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
	fmt.Print(table)
	if len(missed) > 0 {
		fmt.Printf("\nTargets missed: %s.\n", strings.Join(missed, "; "))
	}
	fmt.Printf("\nWritten to %s\n", *out)
}

// phaseTable puts the phases-GROUP-PROG.txt files side by side.
func phaseTable(dir string) string {
	cols := []string{"warm-app", "warm-minimal", "cold-app", "cold-minimal"}
	vals := map[string]map[string]string{}
	var order []string
	for _, c := range cols {
		for _, l := range readLines(filepath.Join(dir, "phases-"+c+".txt")) {
			name, v, ok := strings.Cut(l, "\t")
			if !ok {
				continue
			}
			if vals[name] == nil {
				vals[name] = map[string]string{}
				order = append(order, name)
			}
			vals[name][c] = v
		}
	}
	if len(order) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("| UI thread, ms per run | app, warm | minimal, warm | app, cold | minimal, cold |\n|---|---|---|---|---|\n")
	for _, n := range order {
		zero := true
		for _, c := range cols {
			if v, _ := strconv.ParseFloat(vals[n][c], 64); v >= 0.5 {
				zero = false
			}
		}
		if zero {
			continue
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", n, vals[n]["warm-app"], vals[n]["warm-minimal"], vals[n]["cold-app"], vals[n]["cold-minimal"])
	}
	return b.String() + "\n"
}

func renderTable() string {
	var b strings.Builder
	b.WriteString("| Group | Measure | Value | Target | Result |\n|---|---|---|---|---|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", r.group, r.measure, r.value, r.target, r.result)
	}
	return b.String()
}

func pick(ss []Sample, kind, group, prog string, size int) []Sample {
	var out []Sample
	for _, s := range ss {
		if s.Kind == kind && s.Group == group && s.Prog == prog && (size < 0 || s.Size == size) {
			out = append(out, s)
		}
	}
	return out
}

func ms(ss []Sample) []float64 {
	var out []float64
	for _, s := range ss {
		out = append(out, s.MS)
	}
	return out
}

func rssMB(ss []Sample) []float64 {
	var out []float64
	for _, s := range ss {
		out = append(out, float64(s.RSSKB)/1024)
	}
	return out
}

func cpu(ss []Sample) []float64 {
	var out []float64
	for _, s := range ss {
		out = append(out, s.CPUMS)
	}
	return out
}

func startup(ss []Sample, missed *[]string) {
	const g = "Start-up (Xvfb)"
	for _, grp := range []string{"cold", "warm"} {
		a, m := pick(ss, "frame", grp, "app", -1), pick(ss, "frame", grp, "minimal", -1)
		if len(a) == 0 || len(m) == 0 {
			add(g, "first frame, "+grp, "not measured", "≤ 1.2× minimal", "—")
			continue
		}
		fa, fm := median(ms(a)), median(ms(m))
		r := fa / fm
		add(g, fmt.Sprintf("first frame, %s (median of %d A/B pairs)", grp, min(len(a), len(m))),
			fmt.Sprintf("app %s, minimal %s: **%.2f×**", iqr(ms(a)), iqr(ms(m)), r), "≤ 1.20×", metOr(r <= 1.2))
		if r > 1.2 {
			*missed = append(*missed, "first frame "+grp)
		}
		ra, rm := median(rssMB(a)), median(rssMB(m))
		rr := ra / rm
		add(g, fmt.Sprintf("peak memory (max RSS), %s", grp),
			fmt.Sprintf("app %.1f MB, minimal %.1f MB: **%.2f×**", ra, rm, rr), "≤ 1.20×", metOr(rr <= 1.2))
		if rr > 1.2 {
			*missed = append(*missed, "peak memory "+grp)
		}
		if ca, cm := median(cpu(a)), median(cpu(m)); ca > 0 && cm > 0 {
			add(g, fmt.Sprintf("CPU time (user+sys) up to the first frame, %s", grp),
				fmt.Sprintf("app %.0f ms, minimal %.0f ms: %.2f×", ca, cm, ca/cm), "—", "info")
		}
	}
	a, m := pick(ss, "frame", "first", "app", -1), pick(ss, "frame", "first", "minimal", -1)
	if len(a) > 0 && len(m) > 0 {
		fa, fm := median(ms(a)), median(ms(m))
		ra, rm := median(rssMB(a)), median(rssMB(m))
		add(g, fmt.Sprintf("very first start: empty data dir (demo account made: argon2id), cold (%d pairs)", min(len(a), len(m))),
			fmt.Sprintf("app %.0f ms / %.1f MB, minimal %.0f ms / %.1f MB: %.2f× / %.2f×", fa, ra, fm, rm, fa/fm, ra/rm), "—", "info")
	}
}

func binaries(sizes map[string]int64) {
	const g = "Binary size"
	for _, p := range []string{"app", "minimal"} {
		plain, stripped := sizes[p+" plain"], sizes[p+" stripped"]
		if plain == 0 {
			continue
		}
		add(g, p, fmt.Sprintf("%.1f MB plain, %.1f MB with -ldflags='-s -w'", mb(plain), mb(stripped)), "—", "info")
	}
	if a, m := sizes["app plain"], sizes["minimal plain"]; a > 0 && m > 0 {
		as, ms := sizes["app stripped"], sizes["minimal stripped"]
		add(g, "app ÷ minimal", fmt.Sprintf("%.2f× plain, %.2f× stripped (+%.1f MB, +%.1f MB)", float64(a)/float64(m), float64(as)/float64(ms), mb(a-m), mb(as-ms)), "—", "info")
	}
}

func mb(n int64) float64 { return float64(n) / (1 << 20) }

// Bench is one go test -bench result.
type Bench struct {
	Pkg, Name string
	NsOp      float64
	BOp       float64
	AllocsOp  float64
}

var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)

func readBenches(path string) []Bench {
	var out []Bench
	pkg := ""
	for _, l := range readLines(path) {
		if strings.HasPrefix(l, "pkg: ") {
			pkg = strings.TrimPrefix(l, "pkg: ")
			continue
		}
		m := benchLine.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		b := Bench{Pkg: pkg, Name: m[1]}
		f := strings.Fields(m[2])
		for i := 0; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			switch f[i+1] {
			case "ns/op":
				b.NsOp = v
			case "B/op":
				b.BOp = v
			case "allocs/op":
				b.AllocsOp = v
			}
		}
		out = append(out, b)
	}
	return out
}

// where says on which thread a benchmark's work runs in the app, and
// describes it.
func where(b Bench) (desc string, ui bool, target bool) {
	pkg := b.Pkg[strings.LastIndex(b.Pkg, "/")+1:]
	name := strings.TrimPrefix(b.Name, "Benchmark")
	top, sub, _ := strings.Cut(name, "/")
	switch pkg + "." + top {
	case "ui.New":
		return "build every page, show sign-in (ui.New)", true, true
	case "ui.Page":
		return "show page: " + pageName(sub), true, true
	case "ui.Transition":
		d := transitionName(sub)
		if strings.HasSuffix(sub, "+bg") {
			d += " (incl. its background work: upper bound)"
		}
		return "tap: " + d, true, true
	case "ui.Icon":
		return "decode + convert the app icon (assets/icon.png) at window creation", true, true
	case "wizard.HashSecret":
		return "argon2id hash (slow on purpose; off the UI thread)", false, false
	case "wizard.CheckSecret":
		return "argon2id password check (off the UI thread)", false, false
	case "wizard.SignInCheck":
		return "SignIn.Check without argon2, " + sub + " (off the UI thread)", false, false
	case "wizard.Flow":
		if sub == "try-done-submit" {
			return "flow: submit the code, method saved (off the UI thread)", false, false
		}
		return "flow (no UI): " + transitionName(sub), true, true
	case "authapp.NewSecret":
		return "QR page: new secret", true, true
	case "authapp.URI":
		return "QR page: otpauth URI", true, true
	case "authapp.QRImage":
		return "QR page: QR image at its on-screen size", true, true
	case "authapp.QRPage":
		return "QR page: secret + URI + QR image", true, true
	case "authapp.QRDownload":
		return "get-app page: download-link QR", true, true
	case "storage.OpenLocal":
		return "open the data dir, " + sub + " (at start-up, before the window)", true, false
	case "storage.AccountLookup":
		return "sign-in lookup (Account), " + sub, false, false
	case "storage.Methods":
		return "list an account's methods (Begin, UI thread), " + sub, true, true
	case "storage.CreateAccount":
		return "create one account through the API (populate, admin)", false, false
	case "storage.AddMethodWithSecret":
		return "register a method with a 20-byte secret (journal, keyring, record)", false, false
	}
	return pkg + "." + name + " (not described in bench/report)", false, false
}

var pageNames = map[string]string{
	"signin": "Sign in", "moreinfo": "More information required", "app": "Authenticator app",
	"getapp": "app: get the app", "setup": "app: set up the account", "scan": "app: scan the QR code",
	"cantscan": "app: can't scan (key shown)", "try": "app: try a code", "done": "app: registered",
	"nextmethod": "next method (Phone)", "success": "Success", "chooser": "choose a method",
	"email": "Email (chosen)", "cancel": "Cancel", "back": "Back (to the app)", "begin": "More information required (Begin)",
	"app-getapp": "app: get the app", "app-setup": "app: set up the account", "app-scan-qr": "app: scan (QR code)",
	"app-scan-key": "app: scan (key shown)", "app-try": "app: try a code", "app-done": "app: registered",
	"unavailable": "method not available here (Phone)", "uptodate": "You're all set", "keyring": "keyring not available",
}

func pageName(s string) string {
	if n, ok := pageNames[s]; ok {
		return n
	}
	return s
}

func transitionName(s string) string {
	s = strings.TrimSuffix(s, "+bg")
	s = strings.TrimSuffix(s, "-submit")
	if n, ok := pageNames[s]; ok {
		return n
	}
	parts := strings.Split(s, "-")
	for i, p := range parts {
		parts[i] = pageName(p)
	}
	return strings.Join(parts, " → ")
}

func fmtMS(ns float64) string {
	ms := ns / 1e6
	switch {
	case ms >= 100:
		return fmt.Sprintf("%.0f ms", ms)
	case ms >= 1:
		return fmt.Sprintf("%.2f ms", ms)
	case ms >= 0.01:
		return fmt.Sprintf("%.3f ms", ms)
	default:
		return fmt.Sprintf("%.2f µs", ns/1e3)
	}
}

func responsiveness(bs []Bench, missed *[]string) {
	const g = "Responsiveness (go test -bench)"
	if len(bs) == 0 {
		add(g, "benchmarks", "not run", "", "—")
		return
	}
	for _, b := range bs {
		if strings.Contains(b.Name, "accounts=") && (strings.Contains(b.Name, "AccountLookup") || strings.Contains(b.Name, "SignInCheck")) {
			continue // in the scale rows
		}
		desc, ui, target := where(b)
		val := fmt.Sprintf("%s/op, %.0f allocs", fmtMS(b.NsOp), b.AllocsOp)
		switch {
		case target:
			ok := b.NsOp/1e6 < frameMS
			if !ok {
				*missed = append(*missed, desc)
			}
			add(g, desc, val, "< 16 ms (UI thread)", metOr(ok))
		case ui:
			add(g, desc, val, "—", "info")
		default:
			note := "— (off the UI thread)"
			if b.NsOp/1e6 >= frameMS {
				note = "— (over a frame, but off the UI thread)"
			}
			add(g, desc, val, note, "info")
		}
	}
}

func scale(ss []Sample, bs []Bench, populate []string, missed *[]string) {
	const g = "Scale (local directory)"
	sizes := map[int]bool{}
	for _, s := range ss {
		if s.Group == "scale" || s.Group == "cli" {
			sizes[s.Size] = true
		}
	}
	var ns []int
	for n := range sizes {
		ns = append(ns, n)
	}
	sort.Ints(ns)
	files := map[int]string{}
	for _, l := range populate {
		kv := map[string]string{}
		for _, f := range strings.Fields(l) {
			k, v, _ := strings.Cut(f, "=")
			kv[k] = v
		}
		n, _ := strconv.Atoi(kv["accounts"])
		if b, err := strconv.ParseInt(kv["file_bytes"], 10, 64); err == nil {
			files[n] = fmt.Sprintf("%.1f MB", mb(b))
		}
	}
	base := median(ms(pick(ss, "frame", "scale", "app", 0)))
	for _, n := range ns {
		label := fmt.Sprintf("%d accounts", n)
		if f, ok := files[n]; ok {
			add(g, label+": data file", f, "—", "info")
		}
		if fr := pick(ss, "frame", "scale", "app", n); len(fr) > 0 {
			m := median(ms(fr))
			val := fmt.Sprintf("%s, %d runs, peak RSS %.1f MB", iqr(ms(fr)), len(fr), median(rssMB(fr)))
			if n == 0 || base == 0 {
				add(g, label+": first frame, warm", val, "baseline", "—")
			} else {
				r := m / base
				ok := r <= 1.05
				target, result := "—", "info"
				if n >= 100000 {
					target, result = "≤ 1.05× empty", metOr(ok)
					if !ok {
						*missed = append(*missed, "start-up with "+label)
					}
				}
				add(g, label+": first frame, warm", fmt.Sprintf("%s: **%.2f×** empty", val, r), target, result)
			}
		}
		for _, b := range bs {
			if b.Name == fmt.Sprintf("BenchmarkAccountLookup/accounts=%d", n) {
				ok := b.NsOp/1e6 < 1
				if !ok {
					*missed = append(*missed, "sign-in lookup with "+label)
				}
				add(g, label+": sign-in lookup (Directory.Account)", fmtMS(b.NsOp)+"/op", "< 1 ms", metOr(ok))
			}
			if b.Name == fmt.Sprintf("BenchmarkSignInCheck/accounts=%d", n) {
				add(g, label+": SignIn.Check, argon2 made cheap (lookup + outcome saved)", fmtMS(b.NsOp)+"/op", "— (off the UI thread)", "info")
			}
		}
		if c := pick(ss, "cli", "cli", "user show", n); len(c) > 0 {
			add(g, label+": `securityinfo --data-dir DIR user show NAME`", fmt.Sprintf("%.1f ms wall (median of %d), peak RSS %.1f MB", median(ms(c)), len(c), median(rssMB(c))), "—", "info")
		}
	}
}

func readLines(path string) []string {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out
}

func readMeta(path string) map[string]string {
	m := map[string]string{}
	for _, l := range readLines(path) {
		if k, v, ok := strings.Cut(l, ": "); ok {
			m[k] = v
		}
	}
	return m
}

func readSamples(path string) []Sample {
	var out []Sample
	for _, l := range readLines(path) {
		var s Sample
		if json.Unmarshal([]byte(l), &s) == nil {
			out = append(out, s)
		}
	}
	return out
}

func readSizes(path string) map[string]int64 {
	m := map[string]int64{}
	for _, l := range readLines(path) {
		f := strings.Fields(l)
		if len(f) == 3 {
			n, _ := strconv.ParseInt(f[2], 10, 64)
			m[f[0]+" "+f[1]] = n
		}
	}
	return m
}
