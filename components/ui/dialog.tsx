"use client";

import { useEffect, useId, useRef, type ReactNode } from "react";

/**
 * A modal on the native <dialog> (focus trap, inert page, top layer for free).
 * `dismissible={false}` makes Escape and clicks outside do nothing — the
 * show-once secret modal uses it until its gate is ticked. Chrome closes a
 * dialog on a second Escape even when `cancel` is prevented, so the close
 * request is refused three ways: closedby="none", cancel, and re-opening.
 */
export function Dialog({
  open,
  onClose,
  title,
  description,
  dismissible = true,
  children,
  size = "md",
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  description?: ReactNode;
  dismissible?: boolean;
  children: ReactNode;
  size?: "md" | "lg";
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  const state = useRef({ open, dismissible });
  useEffect(() => {
    state.current = { open, dismissible };
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      {...{ closedby: dismissible ? "any" : "none" }}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      className={`m-auto w-[calc(100%-2rem)] rounded-lg bg-white p-0 text-slate-900 shadow-xl ${size === "lg" ? "max-w-3xl" : "max-w-lg"}`}
      onCancel={(event) => {
        event.preventDefault();
        if (state.current.dismissible) onClose();
      }}
      onKeyDown={(event) => {
        if (event.key === "Escape" && !state.current.dismissible) event.preventDefault();
      }}
      onClose={() => {
        // A close we did not ask for (browser close request): undo it, or report it.
        const dialog = ref.current;
        if (!dialog || !state.current.open) return;
        if (!state.current.dismissible) dialog.showModal();
        else onClose();
      }}
      onClick={(event) => {
        // The dialog element itself is only hit on its backdrop (content sits in the inner div).
        if (event.target === ref.current && state.current.dismissible) onClose();
      }}
    >
      {open ? (
        <div className="max-h-[85vh] overflow-y-auto p-6">
          <h2 id={titleId} className="text-lg font-semibold">
            {title}
          </h2>
          {description ? (
            <div id={descriptionId} className="mt-1 text-sm text-slate-600">
              {description}
            </div>
          ) : null}
          <div className="mt-4">{children}</div>
        </div>
      ) : null}
    </dialog>
  );
}
