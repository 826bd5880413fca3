import { css } from "lit";

export const commentStyles = css`
  :host {
    --_accent: var(--plaudit-accent-color, #2563eb);
    --_focus: var(--plaudit-focus-color, #2563eb);
    --_error: var(--plaudit-error-color, light-dark(#b42318, #ff8a80));
    --_line: var(--plaudit-border-color, color-mix(in srgb, currentColor 30%, transparent));
    --_radius: var(--plaudit-radius, 6px);
    display: block;
    /* The heading and form; README's :not(:defined) CSS reserves at least this (a screen, on tall screens). */
    min-height: 39em;
    font: var(--plaudit-font, inherit);
    color: var(--plaudit-text-color, inherit);
    line-height: 1.5;
  }
  /* light-dark() follows the page's own background (see shared/surroundings.ts), not the OS:
     a light site read under a dark OS is still light. */
  .base {
    color-scheme: light;
  }
  .dark {
    color-scheme: dark;
  }
  /* Each text takes its direction from its own words: English shown on a right-to-left page
     (a language without a pack) keeps its "!" at the end. */
  * {
    unicode-bidi: plaintext;
  }
  h2,
  h3 {
    font-size: 1.125em;
    margin: 1.25em 0 0.5em;
  }
  .thread {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .comment {
    margin: 0 0 1rem;
    padding-inline-start: 1.25rem;
    border-inline-start: 2px solid var(--_line);
  }
  /* Replies are lists inside their parent's item: nesting alone indents them. */
  .comment .thread {
    margin-block-start: 1rem;
  }
  /* For screen readers only, and the honeypot field. Clipped where it stands: pushed off to one
     side, it would widen right-to-left pages. */
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
  }
  .meta,
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0 0.75rem;
    margin: 0;
    font-size: 0.875em;
  }
  time {
    opacity: 0.8;
  }
  .body p {
    margin: 0.25em 0;
    overflow-wrap: anywhere;
  }
  a {
    color: inherit;
  }
  button {
    all: unset;
    min-height: 24px;
    text-decoration: underline;
    cursor: pointer;
  }
  /* Two tones, like the stars' ring: it reads on any page. */
  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
    box-shadow: 0 0 0 4px #fff;
  }
  .form {
    display: grid;
    gap: 0.5rem;
    max-width: 40rem;
  }
  .field {
    display: grid;
    margin: 0;
  }
  input,
  textarea {
    font: inherit;
    color: inherit;
    background: transparent;
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
    padding: 0.5rem;
  }
  [aria-invalid="true"] {
    border-color: var(--_error);
  }
  .error,
  .counter {
    font-size: 0.875em;
  }
  .error {
    color: var(--_error);
  }
  .buttons {
    display: flex;
    gap: 1rem;
    align-items: center;
  }
  .submit,
  [part="badge"] {
    background: var(--_accent);
    color: #fff;
  }
  .submit {
    text-decoration: none;
    padding: 0.5rem 1rem;
    border-radius: var(--_radius);
  }
  /* The "Author" pill: white on the accent reads on light and dark pages alike, and forced colours
     draw its transparent border, so it stays a pill when they drop the background. */
  [part="badge"] {
    padding: 0 0.5em;
    border: 1px solid transparent;
    border-radius: 1em;
  }
  .submit:disabled {
    opacity: 0.6;
    cursor: progress;
  }
  .status {
    min-height: 1.5em;
  }
  @media (forced-colors: active) {
    .submit {
      border: 1px solid ButtonText;
    }
  }
`;
