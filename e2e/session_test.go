//go:build e2e

// Package e2e drives the real Security Info binary in a real X window
// under Xvfb with xdotool, as a person would, and checks what it stored
// through the admin commands.
package e2e

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// bin is the binary under test, built once by TestMain.
var bin string

// artifacts is where screenshots are kept for people to look at.
var artifacts string

// softBinDir is where softBinary builds its binary: TestMain's temporary
// directory.
var softBinDir string

func TestMain(m *testing.M) {
	tmp, err := os.MkdirTemp("", "securityinfo-e2e-")
	if err != nil {
		panic(err)
	}
	softBinDir = tmp
	// The soft-key build (softBinary) starts now, beside the app's build
	// and the first tests, rather than when its test asks for it; not
	// when -run leaves that test out.
	flag.Parse()
	run := flag.Lookup("test.run").Value.String()
	early, _ := regexp.MatchString(strings.Split(run, "/")[0], "TestRealWindow_SecurityKeyRegistered")
	if early {
		go softBuild()
	}
	// make e2e has just built the app with the same tags (make build):
	// SECURITYINFO_E2E_BINARY names it, which saves linking it again.
	if bin = os.Getenv("SECURITYINFO_E2E_BINARY"); bin != "" {
		if bin, err = filepath.Abs(bin); err != nil {
			panic(err)
		}
	} else {
		bin = filepath.Join(tmp, "securityinfo")
		build := exec.Command("go", "build", "-tags", buildTags(), "-o", bin, "..")
		build.Stdout, build.Stderr = os.Stdout, os.Stderr
		if err := build.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "building the app:", err)
			os.Exit(1)
		}
	}
	root, _ := filepath.Abs("..")
	artifacts = filepath.Join(root, "test-artifacts", "e2e")
	os.MkdirAll(artifacts, 0o755)
	code := m.Run()
	if early {
		softBuild() // no go build left running in a removed directory
	}
	os.RemoveAll(tmp)
	os.Exit(code)
}

// buildTags are the build tags the app under test is built with: make's
// TAGS (as make build uses), or the Makefile's tags when run without make.
func buildTags(extra ...string) string {
	tags := os.Getenv("TAGS")
	if tags == "" {
		tags = "no_emoji,no_animations"
	}
	return strings.Join(append(extra, tags), ",")
}

// lockedBuffer collects a process's output safely.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// demoPassword is the built-in demo account's password.
const demoPassword = "contoso-demo-2026"

// session is one person's desk: its own X display, HOME, XDG dirs and
// data dir, and the app running on them.
type session struct {
	t       *testing.T
	root    string
	data    string
	env     []string
	display string
	xlog    *lockedBuffer
	app     *exec.Cmd
	out     lockedBuffer
	errOut  lockedBuffer
	win     string
	shots   int
	// keys and typed count what the person pressed: keys (Return, Tab,
	// ctrl+c: one each) and characters typed into fields.
	keys, typed int
}

func newSession(t *testing.T) *session {
	t.Helper()
	return newSessionOn(t, "1280x900")
}

// newSessionOn is newSession on an X screen of the size given, e.g.
// "640x480".
func newSessionOn(t *testing.T, screen string) *session {
	t.Helper()
	for _, tool := range []string{"Xvfb", "xdotool", "import"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: run `make test`, which installs it", tool)
		}
	}
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		t.Fatal("no session bus: run under storage/testdata/with-keyring.sh (make e2e does)")
	}
	s := &session{t: t, root: t.TempDir()}
	s.data = filepath.Join(s.root, "data")
	s.display, s.xlog = startXvfb(t, screen)
	s.env = append(os.Environ(),
		"HOME="+filepath.Join(s.root, "home"),
		"XDG_CONFIG_HOME="+filepath.Join(s.root, "config"),
		"XDG_CACHE_HOME="+filepath.Join(s.root, "cache"),
		"XDG_DATA_HOME="+filepath.Join(s.root, "xdgdata"),
		"DISPLAY="+s.display,
		"LANG=en_US.UTF-8",
	)
	return s
}

// setEnv sets an environment variable of the session's commands and app
// (LANG=de_DE.UTF-8), replacing any earlier value.
func (s *session) setEnv(name, value string) {
	kept := s.env[:0]
	for _, kv := range s.env {
		if !strings.HasPrefix(kv, name+"=") {
			kept = append(kept, kv)
		}
	}
	s.env = append(kept, name+"="+value)
}

// waitWindowTitle waits until the window's whole title is want, in any
// language ("Security Info – Anmelden").
func (s *session) waitWindowTitle(want string) {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if s.title() == want {
			time.Sleep(300 * time.Millisecond) // let the page paint
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.shot("timeout")
	s.t.Fatalf("window title is %q, want %q\nstderr: %s", s.title(), want, s.errOut.String())
}

// startXvfb starts a private X server with a screen of size (e.g.
// "1280x900") and returns its display name and what it writes. The
// server picks a free display and names it once it accepts connections,
// so nothing waits on a socket file (a killed server leaves its own).
func startXvfb(t *testing.T, size string, extra ...string) (string, *lockedBuffer) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	x := exec.Command("Xvfb", append([]string{"-displayfd", "3", "-screen", "0", size + "x24", "-nolisten", "tcp"}, extra...)...)
	x.ExtraFiles = []*os.File{w}
	// What the server says, kept for a test whose display goes away.
	xlog := new(lockedBuffer)
	x.Stderr = xlog
	if err := x.Start(); err != nil {
		t.Fatalf("starting Xvfb: %v", err)
	}
	w.Close()
	exited := make(chan struct{})
	go func() { x.Wait(); close(exited) }()
	t.Cleanup(func() {
		select {
		case <-exited:
			if !t.Failed() {
				return
			}
			t.Logf("Xvfb had exited before the test ended (%v): %s", x.ProcessState, xlog.String())
		default:
			x.Process.Kill()
			<-exited
		}
	})
	// The whole line, then the pipe stays open for the server's life: it
	// writes the number and the newline apart, and a read end closed in
	// between (a read of just the number, then the file collected) made
	// it exit with "Cannot write display number to fd 3".
	t.Cleanup(func() { r.Close() })
	done := make(chan string, 1)
	go func() { line, _ := bufio.NewReader(r).ReadString('\n'); done <- line }()
	select {
	case line := <-done:
		return ":" + strings.TrimSpace(line), xlog
	case <-time.After(20 * time.Second):
		t.Fatal("Xvfb did not report a display")
	}
	return "", xlog
}

// run runs an admin command with the session's data dir.
func (s *session) run(stdin string, args ...string) (stdout, stderr string, code int) {
	s.t.Helper()
	cmd := exec.Command(bin, append([]string{"--data-dir", s.data}, args...)...)
	cmd.Env = s.env
	cmd.Stdin = strings.NewReader(stdin)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		s.t.Fatalf("running %v: %v", args, err)
	}
	return o.String(), e.String(), code
}

// start opens the app and waits for its window.
func (s *session) start(args ...string) {
	s.t.Helper()
	// Without a policy of its own, a session runs the built-in demo.
	if !strings.Contains(strings.Join(args, " "), "--policy") && !strings.Contains(strings.Join(args, " "), "--demo") {
		args = append([]string{"--demo"}, args...)
	}
	s.app = exec.Command(bin, append([]string{"--data-dir", s.data}, args...)...)
	s.app.Env = s.env
	s.app.Stdout, s.app.Stderr = &s.out, &s.errOut
	if err := s.app.Start(); err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(s.stop)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := s.xdo(ctx, "search", "--sync", "--onlyvisible", "--name", "^Security Info")
	if err != nil {
		s.t.Fatalf("the window never appeared: %v\nstderr: %s\nX server: %s", err, s.errOut.String(), s.xlog.String())
	}
	s.win = strings.Fields(out)[0]
}

// stop ends the app.
func (s *session) stop() {
	if s.app != nil && s.app.ProcessState == nil {
		s.app.Process.Kill()
		s.app.Wait()
	}
}

func (s *session) xdo(ctx context.Context, args ...string) (string, error) {
	var out []byte
	var err error
	for try := 0; ; try++ {
		cmd := exec.CommandContext(ctx, "xdotool", args...)
		cmd.Env = s.env
		out, err = cmd.CombinedOutput()
		// The X server has been seen refusing a connection for a moment
		// on a loaded machine (it was alive and said nothing): try again,
		// and say so, rather than fail a test on it.
		if err == nil || !strings.Contains(string(out), "Can't open display") || try == 5 || ctx.Err() != nil {
			break
		}
		s.t.Logf("xdotool could not open %s (try %d); the X server said: %q", s.display, try+1, s.xlog.String())
		time.Sleep(time.Second)
	}
	if err != nil {
		return string(out), fmt.Errorf("xdotool %v: %w: %s", args, err, out)
	}
	return string(out), nil
}

func (s *session) xdotool(args ...string) string {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := s.xdo(ctx, args...)
	if err != nil {
		s.t.Fatal(err)
	}
	return out
}

// title is the window's title, which names the page shown.
func (s *session) title() string {
	return strings.TrimSpace(s.xdotool("getwindowname", s.win))
}

// waitTitle waits until the window shows page (in English).
func (s *session) waitTitle(page string) {
	s.t.Helper()
	s.waitWindowTitle("Security Info — " + page)
}

// typeText types into the focused widget, like a keyboard.
func (s *session) typeText(text string) {
	s.t.Helper()
	s.xdotool("windowfocus", "--sync", s.win)
	s.xdotool("type", "--delay", "25", text)
	s.typed += len([]rune(text))
}

// key presses keys (xdotool names: Return, Tab, ctrl+v).
func (s *session) key(keys ...string) {
	s.t.Helper()
	s.xdotool("windowfocus", "--sync", s.win)
	s.xdotool(append([]string{"key", "--delay", "60"}, keys...)...)
	s.keys += len(keys)
}

// shot saves a screenshot of the window as a test artifact.
func (s *session) shot(name string) string {
	s.t.Helper()
	s.shots++
	path := filepath.Join(artifacts, fmt.Sprintf("%s-%02d-%s.png", strings.ReplaceAll(s.t.Name(), "/", "-"), s.shots, name)) // a subtest's name has a slash
	cmd := exec.Command("import", "-window", "root", path)
	cmd.Env = s.env
	if out, err := cmd.CombinedOutput(); err != nil {
		s.t.Fatalf("screenshot: %v: %s", err, out)
	}
	return path
}

// eventually retries check until it passes or 20 s pass.
func (s *session) eventually(what string, check func() bool) {
	s.t.Helper()
	s.eventuallyWithin(20*time.Second, what, check)
}

// eventuallyWithin retries check until it passes or limit passes.
func (s *session) eventuallyWithin(limit time.Duration, what string, check func() bool) {
	s.t.Helper()
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if check() {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	s.shot("never-happened")
	s.t.Fatalf("%s: never happened\nstderr: %s", what, s.errOut.String())
}

// assertNoCanary fails if secret appears in any file under the data dir
// and the app's home, or in the app's output.
func (s *session) assertNoCanary(secret string) {
	s.t.Helper()
	filepath.Walk(s.root, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || info.Size() > 64<<20 {
			return nil
		}
		b, err := os.ReadFile(path)
		if err == nil && bytes.Contains(b, []byte(secret)) {
			s.t.Errorf("the secret is on disk in %s", path)
		}
		return nil
	})
	if strings.Contains(s.out.String(), secret) || strings.Contains(s.errOut.String(), secret) {
		s.t.Error("the secret is in the app's output")
	}
}

// command prepares the binary with the session's environment.
func (s *session) command(args ...string) *exec.Cmd {
	cmd := exec.Command(bin, args...)
	cmd.Env = append([]string(nil), s.env...)
	return cmd
}

// waitPaint gives the window time to redraw after a key press that does
// not change the title.
// refusedSignIns counts the sign-in page's failures the app has logged.
// It logs one once the page has taken it in (emptied the password and
// code fields): keys typed before then would be wiped with them, and a
// check still running when the app is stopped is never recorded.
func (s *session) refusedSignIns() int {
	return strings.Count(s.errOut.String(), "Security Info — Sign in: ")
}

func (s *session) waitPaint() { time.Sleep(700 * time.Millisecond) }

// clipboard reads the X clipboard as another program would.
// copied reads the clipboard after a Ctrl+C until it holds what ok
// accepts or a few seconds have passed, and returns what it last read:
// xdotool returns once the key is sent, and the app copies when it
// handles it, later on a loaded machine.
func (s *session) copied(ok func(string) bool) string {
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := s.clipboard()
		if ok(got) || time.Now().After(deadline) {
			return got
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// isAppPassword says whether s is an app password: 16 lowercase letters.
func isAppPassword(s string) bool {
	return len(s) == 16 && strings.Trim(s, "abcdefghijklmnopqrstuvwxyz") == ""
}

func (s *session) clipboard() string {
	cmd := exec.Command("xclip", "-o", "-selection", "clipboard")
	cmd.Env = s.env
	out, err := cmd.Output()
	if err != nil {
		return "" // nothing on the clipboard
	}
	return string(out)
}
