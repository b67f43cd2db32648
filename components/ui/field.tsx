import { useId, type InputHTMLAttributes, type ReactNode, type Ref } from "react";

export const inputClass =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-xs focus:border-indigo-600 focus:outline-2 focus:outline-indigo-600/30 aria-invalid:border-red-600 disabled:bg-slate-100 disabled:text-slate-500";

/** A labelled control with its hint and its error, wired with aria-describedby. */
export function Field({
  label,
  error,
  hint,
  children,
}: {
  label: string;
  error?: string;
  hint?: ReactNode;
  children: (props: { id: string; "aria-invalid": boolean; "aria-describedby"?: string }) => ReactNode;
}) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {children({ id, "aria-invalid": Boolean(error), "aria-describedby": describedBy })}
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

export function FieldError({ id, message }: { id?: string; message?: string }) {
  if (!message) return null;
  return (
    <p id={id} className="text-sm text-red-700">
      {message}
    </p>
  );
}

export function TextInput({ ref, className = "", ...props }: InputHTMLAttributes<HTMLInputElement> & { ref?: Ref<HTMLInputElement> }) {
  return <input ref={ref} className={`${inputClass} ${className}`} {...props} />;
}

/** A checkbox with its label beside it and an optional description. */
export function CheckboxField({
  label,
  description,
  ref,
  ...props
}: InputHTMLAttributes<HTMLInputElement> & { label: string; description?: ReactNode; ref?: Ref<HTMLInputElement> }) {
  const id = useId();
  return (
    <div className="flex items-start gap-3">
      <input
        ref={ref}
        id={id}
        type="checkbox"
        className="mt-0.5 size-4 rounded border-slate-400 text-indigo-700 focus-visible:outline-2 focus-visible:outline-indigo-600"
        aria-describedby={description ? `${id}-desc` : undefined}
        {...props}
      />
      <div className="text-sm">
        <label htmlFor={id} className="font-medium text-slate-800">
          {label}
        </label>
        {description ? (
          <p id={`${id}-desc`} className="text-slate-600">
            {description}
          </p>
        ) : null}
      </div>
    </div>
  );
}
