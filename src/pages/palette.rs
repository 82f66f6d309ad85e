//! The colours and patterns of the pictures ([`super::charts`]): one swatch per state, the same
//! language as the map's legend (`web/style.css`, [`super::measure`]): dark blue is covered (or
//! the furthest step), white with an outline is "not covered" (or none), *okänt* is hatched and
//! "no programme in the catalogue" is a grey dotted neutral, greyed out like anything that does
//! not apply. Colour never carries the meaning alone: every picture has a legend in words, a
//! text equivalent, and (in the lägesbild) the state written in each cell.
//!
//! The swatches are checked by the unit tests below, not by eye: every state stands out from the
//! page (WCAG 1.4.11, 3:1), its pattern from its ground, its text from its fill (4.5:1), and every
//! two states of a scale differ by at least [`MIN_DIFFERENCE`] (CIEDE2000, comparing each
//! swatch's mean colour) in normal vision, simulated protanopia, deuteranopia and tritanopia
//! (Machado, Oliveira and Fernandes 2009, severity 1) and in greyscale.

use crate::vocabulary::AgeState;

/// A colour in sRGB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb`, for an SVG attribute.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// How a swatch is filled: plain, or its ground with lines or dots of its ink on it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pattern {
    Solid,
    /// Lines `width` wide every `period` units, at 45°.
    Hatch {
        period: f64,
        width: f64,
    },
    /// A dot of `radius` in every `period` × `period` square.
    Dots {
        period: f64,
        radius: f64,
    },
}

/// One state as drawn: its fill (ground and pattern), and the colour of text written on it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Swatch {
    /// Names the pattern in SVG ids (`{chart}-{key}`).
    pub key: &'static str,
    pub ground: Rgb,
    pub pattern: Pattern,
    pub ink: Rgb,
    /// Text on this swatch; on a pattern it gets a halo of the page's white.
    pub text: Rgb,
}

impl Swatch {
    /// The share of the area the pattern's ink covers (0 for a plain swatch).
    pub fn ink_share(&self) -> f64 {
        match self.pattern {
            Pattern::Solid => 0.0,
            Pattern::Hatch { period, width } => width / period,
            Pattern::Dots { period, radius } => {
                std::f64::consts::PI * radius * radius / (period * period)
            }
        }
    }

    pub fn patterned(&self) -> bool {
        self.pattern != Pattern::Solid
    }
}

/// The page behind the pictures.
pub const PAGE: Rgb = Rgb(0xff, 0xff, 0xff);
/// Every cell's outline, so that a white cell ("not covered") still has an edge.
pub const OUTLINE: Rgb = Rgb(0x1b, 0x1b, 0x1b);
/// Text beside the cells (labels, headers).
pub const TEXT: Rgb = Rgb(0x1b, 0x1b, 0x1b);
/// What a chosen age's column is framed with.
pub const FRAME: Rgb = Rgb(0x1b, 0x1b, 0x1b);

const DARK_TEXT: Rgb = TEXT;
const LIGHT_TEXT: Rgb = PAGE;

/// Covered, or the furthest step (active SAMBU team, implemented): the map's `--k-n4`.
pub const FULL: Swatch = Swatch {
    key: "full",
    ground: Rgb(0x08, 0x30, 0x6b),
    pattern: Pattern::Solid,
    ink: Rgb(0x08, 0x30, 0x6b),
    text: LIGHT_TEXT,
};

/// The step before it (established group, in progress): the map's `--k-n3`.
pub const HIGH: Swatch = Swatch {
    key: "high",
    ground: Rgb(0x21, 0x71, 0xb5),
    pattern: Pattern::Solid,
    ink: Rgb(0x21, 0x71, 0xb5),
    text: LIGHT_TEXT,
};

/// A first step (decided, adopted, being formed): the map's `--k-n2`.
pub const MID: Swatch = Swatch {
    key: "mid",
    ground: Rgb(0x6b, 0xae, 0xd6),
    pattern: Pattern::Solid,
    ink: Rgb(0x6b, 0xae, 0xd6),
    text: DARK_TEXT,
};

/// Not covered, none, not started: white inside its outline, the map's `--k-ingen`.
pub const NONE: Swatch = Swatch {
    key: "none",
    ground: PAGE,
    pattern: Pattern::Solid,
    ink: PAGE,
    text: DARK_TEXT,
};

/// *Okänt*: hatched, never plain (plain would read as a value).
pub const UNKNOWN: Swatch = Swatch {
    key: "okant",
    ground: Rgb(0xe8, 0xe8, 0xe8),
    pattern: Pattern::Hatch {
        period: 6.0,
        width: 1.6,
    },
    ink: Rgb(0x59, 0x59, 0x59),
    text: DARK_TEXT,
};

/// No programme in the catalogue for that age and level: neutral, greyed out with dots, neither
/// white (a confirmed gap) nor hatched (unknown).
pub const NO_PROGRAMME: Swatch = Swatch {
    key: "inget",
    ground: Rgb(0xb4, 0xb4, 0xb4),
    pattern: Pattern::Dots {
        period: 6.0,
        radius: 1.6,
    },
    ink: Rgb(0x1b, 0x1b, 0x1b),
    text: DARK_TEXT,
};

/// The states a coverage picture shows side by side.
pub const COVERAGE: [Swatch; 4] = [FULL, NONE, UNKNOWN, NO_PROGRAMME];
/// The steps of the lägesbild (SAMBU, partssamverkan, adherence, trainings), okänt with them.
pub const STEPS: [Swatch; 5] = [FULL, HIGH, MID, NONE, UNKNOWN];
/// Every swatch with a pattern, for a picture's `<defs>`.
pub const PATTERNED: [Swatch; 2] = [UNKNOWN, NO_PROGRAMME];

/// The smallest CIEDE2000 difference between the mean colours of two states of one scale, in
/// every simulated vision and in greyscale. About 10 is where two small areas are told apart
/// at a glance rather than side by side; the pattern is a second cue on top of it.
pub const MIN_DIFFERENCE: f64 = 10.0;

/// The swatch of an age's coverage state.
pub fn age_swatch(s: AgeState) -> &'static Swatch {
    match s {
        AgeState::Covered => &FULL,
        AgeState::NotCovered => &NONE,
        AgeState::Unknown => &UNKNOWN,
        AgeState::NoProgramme => &NO_PROGRAMME,
    }
}

#[cfg(test)]
mod tests {
    //! Colour science for the checks: sRGB to linear light, relative luminance and contrast
    //! (WCAG 2.1), CIE L*a*b* (D65) and CIEDE2000 (Sharma, Wu and Dalal 2005), and the
    //! Machado et al. (2009) simulation matrices, applied in linear RGB.

    use super::*;

    type Lin = [f64; 3];

    fn linear(c: Rgb) -> Lin {
        let f = |v: u8| {
            let s = f64::from(v) / 255.0;
            if s <= 0.04045 {
                s / 12.92
            } else {
                ((s + 0.055) / 1.055).powf(2.4)
            }
        };
        [f(c.0), f(c.1), f(c.2)]
    }

    fn luminance(c: Lin) -> f64 {
        0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    }

    fn contrast(a: Rgb, b: Rgb) -> f64 {
        let (x, y) = (luminance(linear(a)), luminance(linear(b)));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    /// What a swatch looks like from a step away: ground and ink mixed by area, in linear light.
    fn mean(s: &Swatch) -> Lin {
        let (g, i, f) = (linear(s.ground), linear(s.ink), s.ink_share());
        [0, 1, 2].map(|c| g[c] * (1.0 - f) + i[c] * f)
    }

    #[derive(Debug, Clone, Copy)]
    enum Vision {
        Normal,
        Protanopia,
        Deuteranopia,
        Tritanopia,
        Greyscale,
    }

    const VISIONS: [Vision; 5] = [
        Vision::Normal,
        Vision::Protanopia,
        Vision::Deuteranopia,
        Vision::Tritanopia,
        Vision::Greyscale,
    ];

    fn simulate(v: Vision, c: Lin) -> Lin {
        let m: [[f64; 3]; 3] = match v {
            Vision::Normal => return c,
            Vision::Greyscale => return [luminance(c); 3],
            Vision::Protanopia => [
                [0.152286, 1.052583, -0.204868],
                [0.114503, 0.786281, 0.099216],
                [-0.003882, -0.048116, 1.051998],
            ],
            Vision::Deuteranopia => [
                [0.367322, 0.860646, -0.227968],
                [0.280085, 0.672501, 0.047413],
                [-0.011820, 0.042940, 0.968881],
            ],
            Vision::Tritanopia => [
                [1.255528, -0.076749, -0.178779],
                [-0.078411, 0.930809, 0.147602],
                [0.004733, 0.691367, 0.303900],
            ],
        };
        m.map(|row| (row[0] * c[0] + row[1] * c[1] + row[2] * c[2]).clamp(0.0, 1.0))
    }

    fn lab(c: Lin) -> [f64; 3] {
        let x = 0.4124 * c[0] + 0.3576 * c[1] + 0.1805 * c[2];
        let y = luminance(c);
        let z = 0.0193 * c[0] + 0.1192 * c[1] + 0.9505 * c[2];
        let f = |t: f64| {
            if t > 216.0 / 24389.0 {
                t.cbrt()
            } else {
                (24389.0 / 27.0 * t + 16.0) / 116.0
            }
        };
        let (fx, fy, fz) = (f(x / 0.95047), f(y), f(z / 1.08883));
        [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
    }

    /// CIEDE2000 colour difference.
    fn ciede2000(p: [f64; 3], q: [f64; 3]) -> f64 {
        let ([l1, a1, b1], [l2, a2, b2]) = (p, q);
        let pow7 = |x: f64| x.powi(7);
        let c_bar = (a1.hypot(b1) + a2.hypot(b2)) / 2.0;
        let g = 0.5 * (1.0 - (pow7(c_bar) / (pow7(c_bar) + pow7(25.0))).sqrt());
        let (a1p, a2p) = ((1.0 + g) * a1, (1.0 + g) * a2);
        let (c1, c2) = (a1p.hypot(b1), a2p.hypot(b2));
        let hue = |b: f64, a: f64| b.atan2(a).to_degrees().rem_euclid(360.0);
        let (h1, h2) = (hue(b1, a1p), hue(b2, a2p));
        let dl = l2 - l1;
        let dc = c2 - c1;
        let dh = if c1 * c2 == 0.0 {
            0.0
        } else if (h2 - h1).abs() <= 180.0 {
            h2 - h1
        } else if h2 - h1 > 180.0 {
            h2 - h1 - 360.0
        } else {
            h2 - h1 + 360.0
        };
        let d_big_h = 2.0 * (c1 * c2).sqrt() * (dh.to_radians() / 2.0).sin();
        let l_bar = (l1 + l2) / 2.0;
        let c_bar_p = (c1 + c2) / 2.0;
        let h_bar = if c1 * c2 == 0.0 {
            h1 + h2
        } else if (h1 - h2).abs() <= 180.0 {
            (h1 + h2) / 2.0
        } else if h1 + h2 < 360.0 {
            (h1 + h2 + 360.0) / 2.0
        } else {
            (h1 + h2 - 360.0) / 2.0
        };
        let cos = |deg: f64| deg.to_radians().cos();
        let t = 1.0 - 0.17 * cos(h_bar - 30.0)
            + 0.24 * cos(2.0 * h_bar)
            + 0.32 * cos(3.0 * h_bar + 6.0)
            - 0.20 * cos(4.0 * h_bar - 63.0);
        let d_theta = 30.0 * (-((h_bar - 275.0) / 25.0).powi(2)).exp();
        let r_c = 2.0 * (pow7(c_bar_p) / (pow7(c_bar_p) + pow7(25.0))).sqrt();
        let s_l = 1.0 + 0.015 * (l_bar - 50.0).powi(2) / (20.0 + (l_bar - 50.0).powi(2)).sqrt();
        let s_c = 1.0 + 0.045 * c_bar_p;
        let s_h = 1.0 + 0.015 * c_bar_p * t;
        let r_t = -(2.0 * d_theta).to_radians().sin() * r_c;
        ((dl / s_l).powi(2)
            + (dc / s_c).powi(2)
            + (d_big_h / s_h).powi(2)
            + r_t * (dc / s_c) * (d_big_h / s_h))
            .sqrt()
    }

    #[test]
    fn the_colour_science_matches_published_values() {
        // WCAG: black on white is 21:1, #767676 on white just passes 4.5:1.
        assert!((contrast(Rgb(0, 0, 0), PAGE) - 21.0).abs() < 1e-9);
        assert!((contrast(Rgb(0x76, 0x76, 0x76), PAGE) - 4.54).abs() < 0.01);
        // Sharma, Wu and Dalal (2005), table 1, pairs 1, 7 and 17.
        for (p, q, want) in [
            ([50.0, 2.6772, -79.7751], [50.0, 0.0, -82.7485], 2.0425),
            ([50.0, 0.0, 0.0], [50.0, -1.0, 2.0], 2.3669),
            ([50.0, 2.5, 0.0], [73.0, 25.0, -18.0], 27.1492),
        ] {
            let d = ciede2000(p, q);
            assert!((d - want).abs() < 1e-4, "{p:?} {q:?}: {d}");
        }
        // sRGB white is L* 100 with no colour; a simulation keeps white and black as they are.
        let white = lab(linear(PAGE));
        assert!((white[0] - 100.0).abs() < 0.01 && white[1].abs() < 0.05 && white[2].abs() < 0.05);
        for v in VISIONS {
            let w = simulate(v, [1.0; 3]);
            assert!(w.iter().all(|c| (c - 1.0).abs() < 0.01), "{v:?}: {w:?}");
        }
        // Protanopia and deuteranopia merge red and green; normal vision does not.
        let (red, green) = (linear(Rgb(0xd6, 0x27, 0x28)), linear(Rgb(0x2c, 0xa0, 0x2c)));
        let differ = |v| ciede2000(lab(simulate(v, red)), lab(simulate(v, green)));
        assert!(differ(Vision::Normal) > 50.0);
        assert!(differ(Vision::Deuteranopia) < differ(Vision::Normal) / 2.0);
    }

    #[test]
    fn every_state_stands_out_from_the_page_and_its_pattern_from_its_ground() {
        // WCAG 1.4.11: the outline every cell has, and the fill or the pattern where there is one.
        assert!(contrast(OUTLINE, PAGE) >= 3.0);
        for s in COVERAGE.iter().chain(&STEPS) {
            let edge = [s.ground, s.ink, OUTLINE]
                .into_iter()
                .map(|c| contrast(c, PAGE))
                .fold(0.0, f64::max);
            assert!(edge >= 3.0, "{}: {edge:.2}", s.key);
            if s.patterned() {
                let c = contrast(s.ink, s.ground);
                assert!(c >= 3.0, "{}: pattern {c:.2}:1 on its ground", s.key);
                assert!(
                    contrast(s.ink, PAGE) >= 3.0,
                    "{}: pattern on the page",
                    s.key
                );
            }
        }
    }

    #[test]
    fn text_on_every_swatch_is_readable() {
        for s in COVERAGE.iter().chain(&STEPS) {
            // On a pattern the text has a white halo: it is read against the page's white.
            let behind = if s.patterned() { PAGE } else { s.ground };
            let c = contrast(s.text, behind);
            assert!(c >= 4.5, "{}: text {c:.2}:1", s.key);
        }
        assert!(contrast(TEXT, PAGE) >= 4.5);
        assert!(contrast(FRAME, PAGE) >= 3.0);
    }

    #[test]
    fn states_differ_in_every_vision_and_in_greyscale() {
        for (name, scale) in [("coverage", &COVERAGE[..]), ("steps", &STEPS[..])] {
            for v in VISIONS {
                for (i, a) in scale.iter().enumerate() {
                    for b in &scale[i + 1..] {
                        let d = ciede2000(lab(simulate(v, mean(a))), lab(simulate(v, mean(b))));
                        assert!(
                            d >= MIN_DIFFERENCE,
                            "{name}, {v:?}: {} and {} differ by only {d:.1} (CIEDE2000)",
                            a.key,
                            b.key
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn okant_is_never_drawn_like_not_covered_or_none() {
        for s in [
            AgeState::NotCovered,
            AgeState::Covered,
            AgeState::NoProgramme,
        ] {
            assert_ne!(age_swatch(s), age_swatch(AgeState::Unknown));
        }
        assert!(UNKNOWN.patterned() && !NONE.patterned());
        assert!(matches!(UNKNOWN.pattern, Pattern::Hatch { .. }));
        assert!(matches!(NO_PROGRAMME.pattern, Pattern::Dots { .. }));
        assert_eq!(Rgb(0x08, 0x30, 0x6b).hex(), "#08306b");
    }
}
