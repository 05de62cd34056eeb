// The report's stylesheet, inline: system fonts only, nothing fetched.
export const STYLE = `
:root { --fg: #1b1f23; --muted: #57606a; --line: #d0d7de; --bg: #ffffff; --panel: #f6f8fa;
  --held: #1a7f37; --violated: #cf222e; --incomplete: #9a6700;
  --added: #1a7f37; --added-bg: #dafbe1; --changed: #9a6700; --changed-bg: #fff8c5; --removed: #cf222e; --removed-bg: #ffebe9;
  --violating: #8250df; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1400px; padding: 1rem 1.5rem 3rem; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
h1 { font-size: 1.5rem; margin: .5rem 0; } h2 { font-size: 1.2rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; } h4 { font-size: .95rem; margin: .8rem 0 .3rem; }
code, .trace, .mono, svg text { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
table { border-collapse: collapse; margin: .3rem 0; } th, td { border: 1px solid var(--line); padding: .2rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--panel); }
.verdict { font-size: 1.2rem; font-weight: 600; } .verdict-held { color: var(--held); } .verdict-violated { color: var(--violated); } .verdict-incomplete { color: var(--incomplete); }
.statement { font-size: 1.05rem; background: var(--panel); border-left: 4px solid var(--muted); padding: .4rem .7rem; }
.absent { color: var(--muted); font-style: italic; } .objects { color: var(--muted); }
#timing-host { color: var(--muted); }
.counterexample { border: 1px solid var(--line); border-radius: 6px; padding: .5rem 1rem 1rem; margin: 1rem 0; }
.counterexample:focus { outline: 2px solid var(--violating); }
.trace { list-style: none; padding: 0; margin: .4rem 0; }
.trace li { padding: 0 .4rem; cursor: pointer; white-space: pre-wrap; } .trace li.current { background: var(--changed-bg); font-weight: 600; }
.trace .number { display: inline-block; width: 3.5em; color: var(--muted); }
.stepper { display: flex; align-items: center; gap: .5rem; margin: .6rem 0; position: sticky; top: 0; background: var(--bg); padding: .3rem 0; z-index: 1; }
.stepper input[type=range] { flex: 1; max-width: 36rem; } .stepper button { font-size: 1rem; min-width: 2.2rem; }
.step-label { font-weight: 600; min-width: 8rem; } .keys { color: var(--muted); font-size: .85rem; }
.step-call { font-family: ui-monospace, "DejaVu Sans Mono", monospace; background: var(--panel); padding: .3rem .6rem; margin: .3rem 0; }
.step-panels { display: grid; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); gap: .2rem 1.5rem; }
.step-panels ul { margin: .2rem 0; padding-left: 1.2rem; } .step-violations li { color: var(--violated); } .step-panels li.none { color: var(--muted); }
.legend { display: flex; flex-wrap: wrap; gap: .8rem; font-size: .85rem; color: var(--muted); margin: .4rem 0; }
.legend span::before { content: ""; display: inline-block; width: .9em; height: .9em; margin-right: .3em; vertical-align: -.1em; border: 2px solid; }
.legend .l-added::before { border-color: var(--added); background: var(--added-bg); } .legend .l-changed::before { border-color: var(--changed); background: var(--changed-bg); }
.legend .l-removed::before { border-color: var(--removed); border-style: dashed; background: var(--removed-bg); } .legend .l-violating::before { border-color: var(--violating); border-width: 3px; }
.trees { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }
.group { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: .3rem .5rem; background: var(--panel); }
.group figcaption { font-weight: 600; font-size: .9rem; margin-bottom: .2rem; } .group.violating { border: 2px solid var(--violating); } .group.violating figcaption { color: var(--violating); }
.group.kind-freed { border-style: dashed; border-color: var(--removed); }
svg .edge { fill: none; stroke: var(--muted); stroke-width: 1.2; }
svg .mount rect { fill: var(--bg); stroke: var(--muted); stroke-width: 1; rx: 4; }
svg .mount text { font-size: 11px; fill: var(--fg); } svg .mount .target { font-weight: 700; } svg .mount .dim { fill: var(--muted); }
svg .mount.change-added rect { fill: var(--added-bg); stroke: var(--added); stroke-width: 2; }
svg .mount.change-changed rect { fill: var(--changed-bg); stroke: var(--changed); stroke-width: 2; }
svg .mount.change-removed rect { fill: var(--removed-bg); stroke: var(--removed); stroke-width: 2; stroke-dasharray: 5 3; }
svg .mount.violating rect { stroke: var(--violating); stroke-width: 3.5; }
`;
