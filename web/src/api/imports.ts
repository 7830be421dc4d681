import { useMutation, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { SavedAudienceList } from '../../../contracts/audiences.js';
import type { ImportOutcome, ImportReport } from '../../../contracts/imports.js';
import { api } from './client.js';
import { downloadFile, type UploadProgress, uploadFile } from './transfer.js';

/** A dry run's report: counts and the problems by line and column. */
export type ImportReportDto = z.infer<typeof ImportReport>;
/** A finished import: its operation and counts. */
export type ImportOutcomeDto = z.infer<typeof ImportOutcome>;
/** A saved audience as listed. */
export type SavedAudienceDto = z.infer<typeof SavedAudienceList>['audiences'][number];

function importPath(file: File, opts: { dryRun: boolean; createTags: boolean }): string {
  const query = new URLSearchParams({ dryRun: String(opts.dryRun), createTags: String(opts.createTags), fileName: file.name.slice(0, 200) });
  return `/imports?${query.toString()}`;
}

/** `POST /imports?dryRun=true`: what the file would write, or its problems; writes nothing. */
export function useDryRun() {
  return useMutation({
    mutationFn: (input: { file: File; createTags: boolean }) =>
      uploadFile<ImportReportDto>(importPath(input.file, { dryRun: true, createTags: input.createTags }), input.file),
  });
}

/**
 * `POST /imports`: the real import, one undoable operation (or a refusal listing every problem).
 * `onUpload` hears how much of the file has been sent, then `onProgress` how much the server has
 * written of it in its one transaction (its progress stream).
 */
export function useRunImport() {
  return useMutation({
    mutationFn: (input: { file: File; createTags: boolean } & UploadProgress) =>
      uploadFile<ImportOutcomeDto>(importPath(input.file, { dryRun: false, createTags: input.createTags }), input.file, {
        onUpload: input.onUpload,
        onProgress: input.onProgress,
      }),
  });
}

/** The saved audiences the user may export. */
export function useSavedAudiences(enabled: boolean) {
  return useQuery({ queryKey: ['audiences'], queryFn: async () => (await api<z.infer<typeof SavedAudienceList>>('GET', '/audiences')).audiences, enabled });
}

/** Downloads `GET /customers/export` (a row per customer, or per follow relation in the import's columns). */
export function useExportCustomers() {
  return useMutation({ mutationFn: (layout: 'customers' | 'relations') => downloadFile('GET', `/customers/export?layout=${layout}`) });
}

/** Downloads `POST /audiences/export` for an audience written as text (a saved audience's text included). */
export function useExportAudience() {
  return useMutation({ mutationFn: (text: string) => downloadFile('POST', '/audiences/export', { text }) });
}
