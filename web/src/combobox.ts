// An accessible combobox (WAI-ARIA 1.2, list autocomplete): typing filters the options, arrow keys move
// through them, Enter or a click picks one, Escape closes the list.
import { h } from "./dom.ts";

/** Options shown at most at once; typing narrows the rest. */
const SHOWN = 50;

export interface Combobox {
  input: HTMLInputElement;
  /** The input and its list, to place in a form field. */
  element: HTMLElement;
  setOptions(options: string[]): void;
}

export function combobox(
  id: string,
  opts: {
    placeholder?: string;
    describedBy?: string;
    /** Asked for the options (setOptions) while there are none yet: on focus or typing. */
    onOpen?: () => void;
    onPick: (value: string) => void;
  },
): Combobox {
  const listId = `${id}-list`;
  const input = h("input", {
    id,
    type: "text",
    role: "combobox",
    "aria-autocomplete": "list",
    "aria-expanded": "false",
    "aria-controls": listId,
    "aria-describedby": opts.describedBy,
    autocomplete: "off",
    placeholder: opts.placeholder,
  });
  const list = h("ul", { id: listId, role: "listbox", class: "combo-list", hidden: true });
  let options: string[] = [];
  let shown: string[] = [];
  let active = -1;

  const setActive = (i: number) => {
    active = i;
    list.querySelectorAll("li").forEach((li, k) => {
      li.setAttribute("aria-selected", String(k === i));
      if (k === i) li.scrollIntoView({ block: "nearest" });
    });
    if (i >= 0) input.setAttribute("aria-activedescendant", `${listId}-${i}`);
    else input.removeAttribute("aria-activedescendant");
  };
  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    setActive(-1);
  };
  const open = () => {
    const q = input.value.trim().toLowerCase();
    const starts = options.filter((o) => o.toLowerCase().startsWith(q));
    const inner = options.filter((o) => !o.toLowerCase().startsWith(q) && o.toLowerCase().includes(q));
    shown = [...starts, ...inner].slice(0, SHOWN);
    list.replaceChildren(
      ...shown.map((o, i) => {
        const li = h("li", { id: `${listId}-${i}`, role: "option", "aria-selected": "false" }, o);
        // mousedown, not click: the input keeps focus, so blur does not close the list first.
        li.addEventListener("mousedown", (e) => {
          e.preventDefault();
          pick(o);
        });
        return li;
      }),
    );
    list.hidden = shown.length === 0;
    input.setAttribute("aria-expanded", String(shown.length > 0));
    setActive(-1);
  };
  const pick = (o: string) => {
    input.value = o;
    close();
    opts.onPick(o);
  };

  input.addEventListener("input", () => {
    if (options.length === 0) opts.onOpen?.();
    open();
  });
  input.addEventListener("focus", () => {
    if (options.length === 0) opts.onOpen?.();
  });
  input.addEventListener("blur", close);
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (list.hidden) open();
      if (shown.length === 0) return;
      const step = e.key === "ArrowDown" ? 1 : -1;
      setActive((active + step + shown.length) % shown.length);
    } else if (e.key === "Enter" && !list.hidden && active >= 0) {
      e.preventDefault();
      pick(shown[active]!);
    } else if (e.key === "Escape" && !list.hidden) {
      e.preventDefault();
      close();
    }
  });
  return {
    input,
    element: h("div", { class: "combo" }, input, list),
    setOptions(next) {
      options = next;
      if (document.activeElement === input && input.value) open();
    },
  };
}
