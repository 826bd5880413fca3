/** Names the literal for the build's CSS minifier; count.js has no Lit, so the styles are a string. */
const css = String.raw;

/** Adopted as a constructed stylesheet, which a strict CSP allows. */
export const countStyles = css`
  :host {
    --_star: var(--plaudit-star-color, #e8a317);
    --_empty: var(--plaudit-star-empty-color, #8886);
    --_to: right;
    display: inline-block;
    font: var(--plaudit-font, inherit);
    color: var(--plaudit-text-color, inherit);
  }
  :host(:dir(rtl)) {
    --_to: left;
  }
  [hidden] {
    display: none !important;
  }
  .base {
    display: inline-flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0 0.35em;
  }
  .stars {
    display: inline-flex;
  }
  .shape {
    display: block;
    width: var(--plaudit-star-size, 1em);
    aspect-ratio: 1;
    clip-path: polygon(50% 3%, 62% 36%, 97% 37%, 69% 58%, 79% 93%, 50% 72%, 21% 93%, 31% 58%, 3% 37%, 38% 36%);
    background: linear-gradient(to var(--_to), var(--_star) var(--fill, 0%), var(--_empty) 0);
  }
  a {
    color: inherit;
  }
  :focus-visible {
    outline: 2px solid var(--plaudit-focus-color, #2563eb);
    box-shadow: 0 0 0 4px #fff;
  }
  @media (forced-colors: active) {
    .shape {
      forced-color-adjust: none;
      --_star: Highlight;
      --_empty: GrayText;
    }
  }
`;
