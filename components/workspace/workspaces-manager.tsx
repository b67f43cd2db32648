"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, TextInput } from "@/components/ui/field";
import { Table, tableHeadClass } from "@/components/ui/table";
import { archiveWorkspaceAction, createWorkspaceAction, renameWorkspaceAction } from "@/lib/portal/server-actions/workspace-settings";
import { createWorkspaceSchema } from "@/lib/workspaces/schemas";

export type WorkspaceListItem = { id: number; name: string; isMain: boolean; archivedAt: string | null; createdAt: string };

const day = (iso: string) =>
  new Date(iso).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

/** The organization's workspaces: create, rename, archive (Owners and Admins). */
export function WorkspacesManager({ workspaces }: { workspaces: WorkspaceListItem[] }) {
  const [renaming, setRenaming] = useState<WorkspaceListItem | null>(null);
  const [archiving, setArchiving] = useState<WorkspaceListItem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <div className="space-y-4">
      <CreateWorkspaceForm onCreated={(name) => setNotice(`Workspace “${name}” created. Switch to it in the header.`)} />
      {notice ? (
        <p role="status" className="text-sm text-green-800">
          {notice}
        </p>
      ) : null}
      <Table caption="Workspaces">
        <thead className={tableHeadClass}>
          <tr>
            <th scope="col" className="px-3 py-2">
              Name
            </th>
            <th scope="col" className="px-3 py-2">
              Status
            </th>
            <th scope="col" className="hidden px-3 py-2 sm:table-cell">
              Created
            </th>
            <th scope="col" className="px-3 py-2">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {workspaces.map((w) => (
            <tr key={w.id}>
              <td className="px-3 py-2 font-medium">{w.name}</td>
              <td className="px-3 py-2">
                {w.archivedAt ? (
                  <span title={`Archived ${day(w.archivedAt)}`}>
                    <Badge tone="slate">Archived</Badge>
                  </span>
                ) : w.isMain ? (
                  <Badge tone="indigo">Main</Badge>
                ) : (
                  <Badge tone="green">Active</Badge>
                )}
              </td>
              <td className="hidden px-3 py-2 whitespace-nowrap text-slate-600 sm:table-cell">{day(w.createdAt)}</td>
              <td className="px-3 py-2 text-right">
                {w.archivedAt ? null : (
                  <div className="flex flex-wrap justify-end gap-2">
                    <Button variant="secondary" aria-label={`Rename ${w.name}`} onClick={() => setRenaming(w)}>
                      Rename
                    </Button>
                    {w.isMain ? null : (
                      <Button variant="secondary" aria-label={`Archive ${w.name}`} onClick={() => setArchiving(w)}>
                        Archive
                      </Button>
                    )}
                  </div>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
      {renaming ? (
        <RenameDialog
          workspace={renaming}
          onClose={() => setRenaming(null)}
          onRenamed={(name) => {
            setRenaming(null);
            setNotice(`Workspace renamed to “${name}”.`);
          }}
        />
      ) : null}
      {archiving ? (
        <ArchiveDialog
          workspace={archiving}
          onClose={() => setArchiving(null)}
          onArchived={() => {
            setArchiving(null);
            setNotice(`Workspace “${archiving.name}” archived. Its API keys no longer work.`);
          }}
        />
      ) : null}
    </div>
  );
}

function CreateWorkspaceForm({ onCreated }: { onCreated: (name: string) => void }) {
  const form = useForm<{ name: string }>({ resolver: zodResolver(createWorkspaceSchema), defaultValues: { name: "" } });
  const [error, setError] = useState<string | null>(null);
  const submit = form.handleSubmit(async (values) => {
    setError(null);
    const result = await createWorkspaceAction(values);
    if (result.ok) {
      form.reset();
      onCreated(result.data.name);
      return;
    }
    if (result.fieldErrors?.name) form.setError("name", { message: result.fieldErrors.name });
    else setError(result.error);
  });
  return (
    <form onSubmit={submit} className="flex flex-col gap-2 sm:flex-row sm:items-start" noValidate>
      <div className="sm:w-80">
        <Field label="New workspace name" error={form.formState.errors.name?.message}>
          {(a) => <TextInput {...a} {...form.register("name")} autoComplete="off" />}
        </Field>
      </div>
      <Button type="submit" className="sm:mt-6" disabled={form.formState.isSubmitting}>
        Create workspace
      </Button>
      {error ? (
        <p role="alert" className="text-sm text-red-700 sm:mt-8">
          {error}
        </p>
      ) : null}
    </form>
  );
}

function RenameDialog({
  workspace,
  onClose,
  onRenamed,
}: {
  workspace: WorkspaceListItem;
  onClose: () => void;
  onRenamed: (name: string) => void;
}) {
  const form = useForm<{ name: string }>({ resolver: zodResolver(createWorkspaceSchema), defaultValues: { name: workspace.name } });
  const [error, setError] = useState<string | null>(null);
  const submit = form.handleSubmit(async (values) => {
    setError(null);
    const result = await renameWorkspaceAction({ id: workspace.id, name: values.name });
    if (result.ok) return onRenamed(result.data.name);
    if (result.fieldErrors?.name) form.setError("name", { message: result.fieldErrors.name });
    else setError(result.error);
  });
  return (
    <Dialog open onClose={onClose} title={`Rename ${workspace.name}`}>
      <form onSubmit={submit} className="space-y-4" noValidate>
        <Field label="Name" error={form.formState.errors.name?.message}>
          {(a) => <TextInput {...a} {...form.register("name")} autoComplete="off" />}
        </Field>
        {error ? (
          <p role="alert" className="text-sm text-red-700">
            {error}
          </p>
        ) : null}
        <div className="flex flex-wrap justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={form.formState.isSubmitting}>
            Save name
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function ArchiveDialog({ workspace, onClose, onArchived }: { workspace: WorkspaceListItem; onClose: () => void; onArchived: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Dialog
      open
      onClose={onClose}
      title={`Archive ${workspace.name}?`}
      description="Its API keys stop working at once. Its messages, statistics and settings stay readable, but nothing in it can be changed. This cannot be undone here."
    >
      {error ? (
        <p role="alert" className="mb-4 text-sm text-red-700">
          {error}
        </p>
      ) : null}
      <div className="flex flex-wrap justify-end gap-2">
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button
          variant="danger"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            const result = await archiveWorkspaceAction({ id: workspace.id });
            setBusy(false);
            if (result.ok) onArchived();
            else setError(result.error);
          }}
        >
          Archive workspace
        </Button>
      </div>
    </Dialog>
  );
}
