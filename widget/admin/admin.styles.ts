import { css } from "lit";

export const adminStyles = css`
  :host {
    --accent: #2563eb;
    --danger: #b42318;
    --line: color-mix(in srgb, currentColor 22%, transparent);
    --muted: color-mix(in srgb, currentColor 72%, transparent);
    display: block;
    max-width: 60rem;
    margin: 0 auto;
    padding: 1rem;
    font: 1rem/1.5 system-ui, sans-serif;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --accent: #7aa7ff;
      --danger: #ff8a80;
    }
  }
  h1 {
    font-size: 1.5rem;
    margin: 0;
  }
  h2 {
    font-size: 1.125rem;
  }
  header {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem 1rem;
    align-items: center;
    justify-content: space-between;
    padding-bottom: 0.75rem;
    border-bottom: 1px solid var(--line);
  }
  nav,
  .toolbar,
  .actions,
  form.inline {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  button,
  input,
  textarea {
    font: inherit;
    color: inherit;
  }
  button {
    min-height: 2.25rem;
    padding: 0.25rem 0.75rem;
    border: 1px solid var(--line);
    border-radius: 6px;
    background: transparent;
    cursor: pointer;
  }
  button[aria-selected="true"],
  button[aria-pressed="true"],
  button.primary {
    background: var(--accent);
    border-color: var(--accent);
    color: Canvas;
  }
  button.danger {
    color: var(--danger);
    border-color: currentColor;
  }
  button:disabled {
    opacity: 0.55;
    cursor: not-allowed;
  }
  input,
  textarea {
    padding: 0.4rem 0.5rem;
    border: 1px solid var(--line);
    border-radius: 6px;
    background: transparent;
  }
  textarea {
    width: 100%;
    box-sizing: border-box;
    min-height: 6rem;
  }
  form.settings {
    display: grid;
    gap: 0.25rem;
    max-width: 48rem;
  }
  ul.blocked li {
    display: flex;
    gap: 0.75rem;
    align-items: center;
    margin-block: 0.25rem;
  }
  form.owner {
    display: grid;
    gap: 0.5rem;
    margin-block: 0.75rem;
  }
  .badge {
    padding: 0 0.4em;
    border: 1px solid currentColor;
    border-radius: 6px;
    font-size: 0.85em;
  }
  :focus-visible {
    outline: 2px solid var(--accent);
    outline-offset: 2px;
  }
  [role="tablist"] {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem;
    margin: 1rem 0 0.5rem;
  }
  .count {
    font-variant-numeric: tabular-nums;
  }
  ol.queue {
    list-style: none;
    padding: 0;
    margin: 0;
  }
  .item {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 0.25rem 0.75rem;
    padding: 0.75rem;
    border: 1px solid var(--line);
    border-radius: 8px;
    margin-bottom: 0.5rem;
  }
  .item.current {
    border-color: var(--accent);
    box-shadow: 0 0 0 1px var(--accent);
  }
  .meta {
    display: flex;
    flex-wrap: wrap;
    gap: 0 0.75rem;
    font-size: 0.875rem;
    color: var(--muted);
  }
  .body {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    margin: 0.25rem 0;
  }
  .revision {
    margin: 0.25rem 0;
  }
  .revision dt {
    font-size: 0.875rem;
    font-weight: 600;
  }
  .revision dd {
    margin-inline-start: 0;
    padding-inline-start: 0.5rem;
    border-inline-start: 3px solid var(--line);
  }
  .context {
    margin: 0;
    padding-inline-start: 0.5rem;
    border-inline-start: 3px solid var(--line);
    font-size: 0.875rem;
    color: var(--muted);
  }
  .link {
    border: 0;
    padding: 0;
    min-height: auto;
    text-decoration: underline;
    color: inherit;
  }
  .legend {
    font-size: 0.875rem;
    color: var(--muted);
  }
  kbd {
    border: 1px solid var(--line);
    border-radius: 4px;
    padding: 0 0.3rem;
    font-family: ui-monospace, monospace;
  }
  .message {
    min-height: 1.5em;
  }
  .status-line {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  .status-line .message {
    margin: 0.5rem 0;
  }
  .error {
    color: var(--danger);
  }
  table {
    border-collapse: collapse;
  }
  table.rated {
    display: block;
    overflow-x: auto;
  }
  table.rated td {
    padding-inline-end: 0.75rem;
    overflow-wrap: anywhere;
  }
  th {
    text-align: start;
    font-weight: normal;
    padding-inline-end: 0.75rem;
  }
  meter {
    width: 12rem;
  }
  .wide {
    flex-basis: 100%;
    margin: 0.5rem 0 0;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
  }
  @media (max-width: 40rem) {
    :host {
      padding: 0.5rem;
    }
    /* A fingertip needs a 24 px target at least (WCAG 2.5.8). */
    input[type="checkbox"] {
      width: 1.5rem;
      height: 1.5rem;
      margin: 0;
    }
    meter {
      width: 7rem;
    }
  }
`;
