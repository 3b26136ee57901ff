package ui

import (
	"image/color"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/securityinfo/securityinfo/wizard"
)

// appTheme is Fyne's default theme (fonts, icons, sizes) with colours
// everyone can read: every text colour at 4.5:1 or more against what it
// sits on (WCAG 1.4.3), input outlines at 3:1 (1.4.11), and focus that
// changes a control's colour by 3:1 (2.4.7; on the danger button, where
// it reaches 2:1, with a ring in the button's text colour drawn by
// keyButton), in the light, the dark and a high-contrast palette.
// theme_test.go measures all of it.
//
// Fyne's own palette fails several of these: low-importance labels are
// drawn in the "disabled" colour (#e3e3e3 on white, 1.3:1), placeholders
// are 3.2:1 on an entry, the primary blue is 4.5:1 only just, errors and
// warnings are 3.7:1 and 2.1:1 on white, and focus on the primary button
// blends in a 16%-opaque blue (a change of about 7 in one channel).
type appTheme struct {
	fyne.Theme
	// palette, if set, is used whatever the system's variant (a policy's
	// "light", "dark" or "high-contrast"); else the variant picks.
	palette *palette
}

// palette is a theme's colours; what it leaves out comes from Fyne's
// default theme in the variant it stands for.
type palette struct {
	variant fyne.ThemeVariant
	colors  map[fyne.ThemeColorName]color.Color
}

// Theme names a policy may set (wizard.Policy.Theme).
const (
	themeSystem       = ""
	themeLight        = "light"
	themeDark         = "dark"
	themeHighContrast = "high-contrast"
)

// newAppTheme returns the theme a station shows: the policy's choice, else
// high contrast when the desktop asks for it (a GTK_THEME such as
// "HighContrast" or "HighContrastInverse"), else light or dark as the
// system is.
func newAppTheme(pol wizard.Policy) fyne.Theme {
	t := &appTheme{Theme: theme.DefaultTheme()}
	switch pol.Theme {
	case themeLight:
		t.palette = lightPalette
	case themeDark:
		t.palette = darkPalette
	case themeHighContrast:
		t.palette = highContrastPalette
	default:
		if strings.Contains(strings.ToLower(os.Getenv("GTK_THEME")), "highcontrast") {
			t.palette = highContrastPalette
		}
	}
	return t
}

// Color returns the palette's colour for name, or the default theme's for
// colours no text sits on (shadows, scroll bars, selection).
func (t *appTheme) Color(name fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	p := t.palette
	if p == nil {
		p = lightPalette
		if v == theme.VariantDark {
			p = darkPalette
		}
	}
	if c, ok := p.colors[name]; ok {
		return c
	}
	return t.Theme.Color(name, p.variant)
}

func rgb(hex uint32) color.NRGBA {
	return color.NRGBA{R: uint8(hex >> 16), G: uint8(hex >> 8), B: uint8(hex), A: 0xff}
}

func rgba(hex uint32, a uint8) color.NRGBA {
	c := rgb(hex)
	c.A = a
	return c
}

// The palettes. Focus is the one colour Fyne blends over every button's
// background when it has the keyboard (and draws behind a focused radio
// or check box, around a link, inside a select): it must move both the
// light "Back" button and the dark primary "Next" button by 3:1 while
// their text stays at 4.5:1 on it. That is why the light theme's primary
// is a deep navy (white text, 15:1) and the dark theme's a pale blue
// (dark text): the focused colour then lies between them and the
// ordinary buttons on the other side. The values were found by a search
// over focus colours and opacities; theme_test.go checks each ratio.
var (
	lightPalette = &palette{theme.VariantLight, map[fyne.ThemeColorName]color.Color{
		theme.ColorNameBackground:          rgb(0xffffff),
		theme.ColorNameForeground:          rgb(0x1a1a1a),
		theme.ColorNameButton:              rgb(0xf0f0f0),
		theme.ColorNameDisabledButton:      rgb(0xf0f0f0),
		theme.ColorNameDisabled:            rgb(0x636363), // also LowImportance text
		theme.ColorNameInputBackground:     rgb(0xf3f3f3),
		theme.ColorNameInputBorder:         rgb(0x767676),
		theme.ColorNamePlaceHolder:         rgb(0x636363),
		theme.ColorNamePrimary:             rgb(0x08235a),
		theme.ColorNameForegroundOnPrimary: rgb(0xffffff),
		theme.ColorNameHyperlink:           rgb(0x0b57d0),
		theme.ColorNameFocus:               rgba(0x337ec8, 0xe5),
		theme.ColorNameError:               rgb(0x8a0508),
		theme.ColorNameForegroundOnError:   rgb(0xffffff),
		theme.ColorNameWarning:             rgb(0x8f4a00),
		theme.ColorNameForegroundOnWarning: rgb(0xffffff),
		theme.ColorNameSuccess:             rgb(0x176019),
		theme.ColorNameForegroundOnSuccess: rgb(0xffffff),
		theme.ColorNameOverlayBackground:   rgb(0xffffff),
		theme.ColorNameMenuBackground:      rgb(0xf5f5f5),
		theme.ColorNameHeaderBackground:    rgb(0xf9f9f9),
	}}
	darkPalette = &palette{theme.VariantDark, map[fyne.ThemeColorName]color.Color{
		theme.ColorNameBackground:          rgb(0x171718),
		theme.ColorNameForeground:          rgb(0xf5f5f5),
		theme.ColorNameButton:              rgb(0x242529),
		theme.ColorNameDisabledButton:      rgb(0x242529),
		theme.ColorNameDisabled:            rgb(0xa3a3a3),
		theme.ColorNameInputBackground:     rgb(0x202023),
		theme.ColorNameInputBorder:         rgb(0x7a7a7a),
		theme.ColorNamePlaceHolder:         rgb(0xa8a8a8),
		theme.ColorNamePrimary:             rgb(0xd3e3fd),
		theme.ColorNameForegroundOnPrimary: rgb(0x101010),
		theme.ColorNameHyperlink:           rgb(0xa8c7fa),
		theme.ColorNameFocus:               rgba(0x3e7bae, 0xea),
		theme.ColorNameError:               rgb(0xffa8af),
		theme.ColorNameForegroundOnError:   rgb(0x101010),
		theme.ColorNameWarning:             rgb(0xffc266),
		theme.ColorNameForegroundOnWarning: rgb(0x101010),
		theme.ColorNameSuccess:             rgb(0x81c995),
		theme.ColorNameForegroundOnSuccess: rgb(0x101010),
		theme.ColorNameOverlayBackground:   rgb(0x181d25),
		theme.ColorNameMenuBackground:      rgb(0x28292e),
		theme.ColorNameHeaderBackground:    rgb(0x1b1b1b),
	}}
	// highContrastPalette is white on black with yellow for what acts,
	// as desktops' high-contrast themes are.
	highContrastPalette = &palette{theme.VariantDark, map[fyne.ThemeColorName]color.Color{
		theme.ColorNameBackground:          rgb(0x000000),
		theme.ColorNameForeground:          rgb(0xffffff),
		theme.ColorNameButton:              rgb(0x141414),
		theme.ColorNameDisabledButton:      rgb(0x141414),
		theme.ColorNameDisabled:            rgb(0xc0c0c0),
		theme.ColorNameInputBackground:     rgb(0x000000),
		theme.ColorNameInputBorder:         rgb(0x767676),
		theme.ColorNamePlaceHolder:         rgb(0xc8c8c8),
		theme.ColorNamePrimary:             rgb(0xffe040),
		theme.ColorNameForegroundOnPrimary: rgb(0x000000),
		theme.ColorNameHyperlink:           rgb(0xffff00),
		theme.ColorNameFocus:               rgba(0xcd33a8, 0xf0),
		theme.ColorNameError:               rgb(0xff98a1),
		theme.ColorNameForegroundOnError:   rgb(0x000000),
		theme.ColorNameWarning:             rgb(0xffc04d),
		theme.ColorNameForegroundOnWarning: rgb(0x000000),
		theme.ColorNameSuccess:             rgb(0x7dff7d),
		theme.ColorNameForegroundOnSuccess: rgb(0x000000),
		theme.ColorNameOverlayBackground:   rgb(0x000000),
		theme.ColorNameMenuBackground:      rgb(0x141414),
		theme.ColorNameHeaderBackground:    rgb(0x0a0a0a),
		theme.ColorNameSeparator:           rgb(0x767676),
	}}
)
