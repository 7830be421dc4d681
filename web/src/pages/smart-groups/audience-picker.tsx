import { Form, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useDepartments } from '../../api/admin.js';
import { type AudienceDto, useEmployees } from '../../api/smart-groups.js';

/** True when an audience names nobody, which the server reads as "everyone". */
export function isEveryone(audience: AudienceDto | undefined): boolean {
  return !audience || ((audience.departments?.length ?? 0) === 0 && (audience.regions?.length ?? 0) === 0 && (audience.userids?.length ?? 0) === 0);
}

/** The audience without empty lists, as the server stores it. */
export function compactAudience(audience: AudienceDto): AudienceDto {
  const out: AudienceDto = {};
  if (audience.departments?.length) out.departments = audience.departments;
  if (audience.regions?.length) out.regions = audience.regions;
  if (audience.userids?.length) out.userids = audience.userids;
  return out;
}

/**
 * Picks who an audience covers: departments (each with its subtree), regions and members, from
 * the org the caller may see. Nothing picked means everyone, as the server reads it.
 */
export function AudiencePicker({ value, onChange, label }: { value: AudienceDto; onChange: (a: AudienceDto) => void; label: string }) {
  const { t } = useTranslation('smart');
  const departments = useDepartments();
  const employees = useEmployees();
  const regions = [...new Set((departments.data ?? []).map((d) => d.effectiveRegion).filter((r): r is string => !!r))];
  return (
    <fieldset aria-label={label} style={{ border: 0, padding: 0, margin: 0 }}>
      <Form.Item label={t('scope.departments')} style={{ marginBottom: 8 }}>
        <Select
          mode="multiple"
          showSearch
          optionFilterProp="label"
          aria-label={`${label} · ${t('scope.departments')}`}
          loading={departments.isPending}
          value={value.departments ?? []}
          options={(departments.data ?? []).map((d) => ({ value: d.deptId, label: `${'· '.repeat(d.depth)}${d.name}` }))}
          onChange={(ids: number[]) => onChange({ ...value, departments: ids })}
          placeholder={t('scope.everyone')}
        />
      </Form.Item>
      <Form.Item label={t('scope.regions')} style={{ marginBottom: 8 }}>
        <Select
          mode="multiple"
          aria-label={`${label} · ${t('scope.regions')}`}
          value={value.regions ?? []}
          options={regions.map((r) => ({ value: r, label: r }))}
          onChange={(regionList: string[]) => onChange({ ...value, regions: regionList })}
          placeholder={t('scope.everyone')}
        />
      </Form.Item>
      <Form.Item label={t('scope.members')} style={{ marginBottom: 8 }}>
        <Select
          mode="multiple"
          showSearch
          optionFilterProp="label"
          aria-label={`${label} · ${t('scope.members')}`}
          loading={employees.isPending}
          value={value.userids ?? []}
          options={(employees.data ?? []).map((e) => ({ value: e.userid, label: `${e.name} (${e.userid})` }))}
          onChange={(userids: string[]) => onChange({ ...value, userids })}
          placeholder={t('scope.everyone')}
        />
      </Form.Item>
    </fieldset>
  );
}

/** A one-line summary of an audience: "everyone" or the counts of what it names. */
export function useAudienceSummary() {
  const { t } = useTranslation('smart');
  return (audience: AudienceDto | undefined) =>
    isEveryone(audience)
      ? t('scope.everyone')
      : t('scope.summary', {
          departments: audience?.departments?.length ?? 0,
          regions: audience?.regions?.length ?? 0,
          members: audience?.userids?.length ?? 0,
        });
}
