package ui

import (
	"fmt"
	"image/color"
	"math"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/securityinfo/securityinfo/wizard"
)

// luminance is a colour's WCAG 2 relative luminance, drawn opaque.
func luminance(c color.Color) float64 {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(n.R) + 0.7152*lin(n.G) + 0.0722*lin(n.B)
}

// contrast is the WCAG 2 contrast ratio of a and b, 1 to 21.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// over is over alpha-blended on the opaque under, as Fyne blends focus and
// hover over a button and as the renderer draws a translucent fill.
func over(under, over color.Color) color.Color {
	u := color.NRGBAModel.Convert(under).(color.NRGBA)
	o := color.NRGBAModel.Convert(over).(color.NRGBA)
	a := float64(o.A) / 255
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(y)*a + float64(x)*(1-a))) }
	return color.NRGBA{R: mix(u.R, o.R), G: mix(u.G, o.G), B: mix(u.B, o.B), A: 0xff}
}

// themeVariants are the three looks a station can have.
func themeVariants() []struct {
	name    string
	th      fyne.Theme
	variant fyne.ThemeVariant
} {
	return []struct {
		name    string
		th      fyne.Theme
		variant fyne.ThemeVariant
	}{
		{"light", newAppTheme(wizard.Policy{}), theme.VariantLight},
		{"dark", newAppTheme(wizard.Policy{}), theme.VariantDark},
		{"high-contrast", newAppTheme(wizard.Policy{Theme: themeHighContrast}), theme.VariantLight},
	}
}

// contrastProblems measures every pair of colours a person must tell
// apart in th: text at 4.5:1 (WCAG 1.4.3), outlines and focus at 3:1
// (1.4.11, 2.4.7). It returns one line per pair below its minimum.
func contrastProblems(th fyne.Theme, v fyne.ThemeVariant) (problems []string, measured map[string]float64) {
	c := func(n fyne.ThemeColorName) color.Color { return th.Color(n, v) }
	measured = map[string]float64{}
	check := func(what string, a, b color.Color, min float64) {
		r := contrast(a, b)
		measured[what] = r
		if r < min {
			problems = append(problems, fmt.Sprintf("%s: %.2f:1, want %.1f:1", what, r, min))
		}
	}
	const text, ui = 4.5, 3.0
	focus := c(theme.ColorNameFocus)
	// Backgrounds text sits on: the window, cards and dialogs, the kiosk
	// banner (overlay), menus and pop-ups, entries and buttons.
	surfaces := []fyne.ThemeColorName{theme.ColorNameBackground, theme.ColorNameOverlayBackground,
		theme.ColorNameHeaderBackground, theme.ColorNameMenuBackground}
	// Label text by importance (widget.Label: Medium is the foreground,
	// Low the "disabled" colour, High the primary, and so on), links.
	for _, fg := range []fyne.ThemeColorName{theme.ColorNameForeground, theme.ColorNameDisabled,
		theme.ColorNamePrimary, theme.ColorNameError, theme.ColorNameWarning, theme.ColorNameSuccess,
		theme.ColorNameHyperlink} {
		for _, bg := range surfaces {
			check(fmt.Sprintf("%s text on %s", fg, bg), c(fg), c(bg), text)
		}
	}
	// Entries: typed, placeholder and disabled text; hints under form
	// fields are in the placeholder colour on the window.
	for _, fg := range []fyne.ThemeColorName{theme.ColorNameForeground, theme.ColorNamePlaceHolder, theme.ColorNameDisabled} {
		check(fmt.Sprintf("%s text in an entry", fg), c(fg), c(theme.ColorNameInputBackground), text)
	}
	check("placeholder hint on the window", c(theme.ColorNamePlaceHolder), c(theme.ColorNameBackground), text)
	// Buttons of each importance, as they are and with the keyboard
	// (Fyne blends the focus colour over the background), and disabled.
	//
	// One focus colour serves every button, so a 3:1 change is reached
	// for the ordinary and the primary button (the two on every page).
	// On the red danger button (two on the helpdesk) it is only 2:1 (3:1
	// would need an error colour so dark or so pale that error text no
	// longer looks red), so focus there also draws a ring in the button's
	// text colour (keyButton's ringRenderer), measured against the button
	// as it was and as it is focused.
	// Warning and success buttons are not used (min 0: text only).
	buttons := []struct {
		name     string
		fg, bg   fyne.ThemeColorName
		minFocus float64
		ring     bool
	}{
		{"button", theme.ColorNameForeground, theme.ColorNameButton, ui, false},
		{"primary button", theme.ColorNameForegroundOnPrimary, theme.ColorNamePrimary, ui, false},
		{"danger button", theme.ColorNameForegroundOnError, theme.ColorNameError, ui, true},
		{"warning button", theme.ColorNameForegroundOnWarning, theme.ColorNameWarning, 0, false},
		{"success button", theme.ColorNameForegroundOnSuccess, theme.ColorNameSuccess, 0, false},
	}
	for _, b := range buttons {
		check(b.name+" text", c(b.fg), c(b.bg), text)
		focused := over(c(b.bg), focus)
		check(b.name+" text when focused", c(b.fg), focused, text)
		check(b.name+" hovered", c(b.fg), over(c(b.bg), c(theme.ColorNameHover)), text)
		if b.ring {
			// The ring's pixels change from the button's colour to the
			// ring's, and the ring stands out on the focused colour.
			check(b.name+" focus change", c(b.fg), c(b.bg), b.minFocus)
			check(b.name+" focus ring on the focused button", c(b.fg), focused, b.minFocus)
			continue
		}
		check(b.name+" focus change", focused, c(b.bg), b.minFocus)
	}
	check("disabled button text", c(theme.ColorNameDisabled), c(theme.ColorNameDisabledButton), text)
	// Focus drawn straight on the window: the halo behind a radio button
	// or check box, the select's background, the link's outline.
	halo := over(c(theme.ColorNameBackground), focus)
	check("focus halo, select or link outline on the window", halo, c(theme.ColorNameBackground), ui)
	check("text in a focused select", c(theme.ColorNameForeground), halo, text)
	// Outlines: an entry's border and an unselected radio button or check
	// box (input border) against the window and the entry's fill; a
	// focused entry's border and a selected radio (primary).
	for _, bg := range []fyne.ThemeColorName{theme.ColorNameBackground, theme.ColorNameInputBackground, theme.ColorNameOverlayBackground} {
		check("input border on "+string(bg), c(theme.ColorNameInputBorder), c(bg), ui)
		check("primary (focused entry border, selected radio) on "+string(bg), c(theme.ColorNamePrimary), c(bg), ui)
	}
	check("entry focus change (input border to primary)", c(theme.ColorNameInputBorder), c(theme.ColorNamePrimary), ui)
	return problems, measured
}

// TestTheme_Contrast measures every text colour against what it sits on,
// outlines and focus indicators, in the light, dark and high-contrast
// themes.
func TestTheme_Contrast(t *testing.T) {
	for _, tv := range themeVariants() {
		t.Run(tv.name, func(t *testing.T) {
			problems, measured := contrastProblems(tv.th, tv.variant)
			for _, p := range problems {
				t.Error(p)
			}
			t.Logf("%d pairs; text %.2f (low-importance %.2f, placeholder %.2f); focus change: button %.2f, primary %.2f, danger %.2f, halo %.2f; input border %.2f",
				len(measured), lowest(measured, " text"), measured["disabled text on background"], measured["placeholder text in an entry"],
				measured["button focus change"], measured["primary button focus change"], measured["danger button focus change"],
				measured["focus halo, select or link outline on the window"], measured["input border on background"])
		})
	}
}

// lowest is the lowest ratio among the pairs whose name has part.
func lowest(measured map[string]float64, part string) float64 {
	low := math.Inf(1)
	for what, r := range measured {
		if strings.Contains(what, part) {
			low = min(low, r)
		}
	}
	return low
}

// TestTheme_ContrastFailsFyneDefault shows the contrast check can fail:
// Fyne's own palette has low-importance text at 1.3:1 and focus on the
// primary button changing it by a few units.
func TestTheme_ContrastFailsFyneDefault(t *testing.T) {
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		problems, measured := contrastProblems(theme.DefaultTheme(), v)
		if len(problems) == 0 {
			t.Errorf("variant %d: Fyne's default theme passed the contrast check", v)
		}
		if r := measured["disabled text on background"]; r >= 2 {
			t.Errorf("variant %d: default low-importance text measured %.2f:1, expected about 1.3-1.5", v, r)
		}
		if r := measured["primary button focus change"]; r >= 1.5 {
			t.Errorf("variant %d: default focus on the primary button measured %.2f:1", v, r)
		}
	}
}

// The policy's theme wins; without one, the desktop's high-contrast
// setting, else the system's light or dark variant.
func TestTheme_Choice(t *testing.T) {
	bg := func(th fyne.Theme, v fyne.ThemeVariant) color.Color { return th.Color(theme.ColorNameBackground, v) }
	white, black := rgb(0xffffff), rgb(0x000000)
	dark := darkPalette.colors[theme.ColorNameBackground]
	t.Setenv("GTK_THEME", "Adwaita")
	sys := newAppTheme(wizard.Policy{})
	if bg(sys, theme.VariantLight) != white || bg(sys, theme.VariantDark) != dark {
		t.Error("the system theme does not follow the system's variant")
	}
	if got := bg(newAppTheme(wizard.Policy{Theme: themeDark}), theme.VariantLight); got != dark {
		t.Errorf("theme = dark on a light desktop: background %v", got)
	}
	if got := bg(newAppTheme(wizard.Policy{Theme: themeLight}), theme.VariantDark); got != white {
		t.Errorf("theme = light on a dark desktop: background %v", got)
	}
	if got := bg(newAppTheme(wizard.Policy{Theme: themeHighContrast}), theme.VariantLight); got != black {
		t.Errorf("theme = high-contrast: background %v", got)
	}
	t.Setenv("GTK_THEME", "HighContrast:dark")
	if got := bg(newAppTheme(wizard.Policy{}), theme.VariantLight); got != black {
		t.Errorf("GTK_THEME=HighContrast: background %v, want high contrast", got)
	}
	if got := bg(newAppTheme(wizard.Policy{Theme: themeLight}), theme.VariantLight); got != white {
		t.Errorf("the policy's light theme lost to GTK_THEME: background %v", got)
	}
}
