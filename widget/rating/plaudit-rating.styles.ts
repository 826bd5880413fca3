import { css } from "lit";

export const ratingStyles = css`
  :host {
    --_star: var(--plaudit-star-color, #e8a317);
    /* Translucent, so empty stars read on light and dark pages alike. */
    --_empty: var(--plaudit-star-empty-color, #8886);
    --_focus: var(--plaudit-focus-color, #2563eb);
    --_to: right;
    display: block;
    /* Exactly its first and loaded height at the default star size; README asks hosts to reserve
       the same with :not(:defined), so nothing moves when the script arrives. */
    min-height: calc(4.5em + 2.625rem);
    font: var(--plaudit-font, inherit);
    color: var(--plaudit-text-color, inherit);
    line-height: 1.5;
  }
  :host(:dir(rtl)) {
    --_to: left;
  }
  /* Each text takes its direction from its own words: English shown on a right-to-left page
     (a language without a pack) keeps its "!" at the end. */
  * {
    unicode-bidi: plaintext;
  }
  .base,
  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.25rem 0.75rem;
  }
  .prompt,
  .actions,
  .status {
    flex-basis: 100%;
    margin: 0;
  }
  .stars {
    display: flex;
  }
  .star {
    padding: 1px;
    border-radius: 4px;
    cursor: pointer;
  }
  .shape {
    display: block;
    width: max(24px, var(--plaudit-star-size, 1.75rem));
    aspect-ratio: 1;
    /* A clip-path star: any colour, gradient or system colour fills it, with no image to load. */
    clip-path: polygon(50% 3%, 62% 36%, 97% 37%, 69% 58%, 79% 93%, 50% 72%, 21% 93%, 31% 58%, 3% 37%, 38% 36%);
  }
  /* details.js gives its bars the same fill. */
  .shape {
    background: linear-gradient(to var(--_to), var(--_star) var(--fill), var(--_empty) 0);
  }
  button {
    all: unset;
    min-height: 24px;
    text-decoration: underline;
    cursor: pointer;
  }
  /* Two tones, so the ring reads on any page, light or dark, whatever the OS prefers. */
  :focus-visible {
    outline: 2px solid var(--_focus);
    box-shadow: 0 0 0 4px #fff;
  }
  .status {
    min-height: 1.5em;
  }
  #summary {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
  }
  @media (forced-colors: active) {
    .shape {
      forced-color-adjust: none;
      --_star: Highlight;
      --_empty: GrayText;
    }
  }
`;
