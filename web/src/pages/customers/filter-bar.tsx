import { Button, Form, Input, Select, Space } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { can, type MeDto } from '../../api/session.js';
import { usePersonalTags, useTagGroups } from '../../api/tags.js';
import { TagChip } from './tag-chip.js';
import { type TagChoice, tagChoices } from './tag-options.js';

/** What the filter bar holds: the name search, the picked tags and the applied audience text. */
export type Filters = { q: string; tags: TagChoice[]; text: string };

/**
 * The list's filters: a name search (applied as the user types, debounced by the page), a tag
 * picker with enterprise and personal tags told apart, and a free audience-text box applied on
 * Enter, with the server's parse error shown under it.
 */
export function FilterBar({ me, filters, onChange, textError }: { me: MeDto; filters: Filters; onChange: (next: Filters) => void; textError: string | null }) {
  const { t } = useTranslation('customers');
  const groups = useTagGroups();
  const personal = usePersonalTags(can(me, 'personalTag.manage'));
  const [draft, setDraft] = useState(filters.text);
  const choices = useMemo(() => tagChoices(groups.data ?? [], personal.data ?? [], { personal: t('filter.personal') }), [groups.data, personal.data, t]);
  const applyText = () => onChange({ ...filters, text: draft.trim() });

  // On a phone each filter takes the width left beside the collapsed menu instead of running off the screen.
  const fit = (px: number) => `min(${px}px, calc(100vw - 100px))`;
  return (
    <Form layout="vertical" onSubmitCapture={(e) => e.preventDefault()}>
      <Space wrap align="start" size="middle" style={{ width: '100%' }}>
        <Form.Item label={t('filter.q')} htmlFor="customers-q" style={{ marginBottom: 0 }}>
          <Input.Search
            id="customers-q"
            allowClear
            placeholder={t('filter.qPlaceholder')}
            defaultValue={filters.q}
            onChange={(e) => onChange({ ...filters, q: e.target.value })}
            style={{ width: fit(220) }}
          />
        </Form.Item>
        <Form.Item label={t('filter.tags')} htmlFor="customers-tags" style={{ marginBottom: 0 }}>
          <Select
            id="customers-tags"
            mode="multiple"
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            loading={groups.isPending}
            placeholder={t('filter.tagsPlaceholder')}
            aria-label={t('filter.tags')}
            options={choices.options}
            value={filters.tags.map((tag) => tag.tagId)}
            onChange={(ids: string[]) => onChange({ ...filters, tags: ids.flatMap((id) => choices.byId.get(id) ?? []) })}
            tagRender={({ value, closable, onClose }) => {
              const tag = choices.byId.get(String(value));
              return (
                <span onMouseDown={(e) => e.preventDefault()}>
                  <TagChip
                    name={tag?.name ?? String(value)}
                    personal={tag?.personal ?? false}
                    title={tag ? `${tag.groupName}/${tag.name}` : undefined}
                    onClose={closable ? onClose : undefined}
                  />
                </span>
              );
            }}
            style={{ width: fit(320) }}
            maxTagCount="responsive"
          />
        </Form.Item>
        <Form.Item
          label={t('filter.text')}
          htmlFor="customers-text"
          validateStatus={textError ? 'error' : undefined}
          help={textError ?? undefined}
          style={{ marginBottom: 0, width: fit(380) }}
        >
          <Space.Compact style={{ width: '100%' }}>
            <Input
              id="customers-text"
              placeholder={t('filter.textPlaceholder')}
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              onPressEnter={applyText}
            />
            <Button type="primary" onClick={applyText}>
              {t('filter.apply')}
            </Button>
          </Space.Compact>
        </Form.Item>
        <Form.Item label=" " style={{ marginBottom: 0 }}>
          <Button
            onClick={() => {
              setDraft('');
              onChange({ q: filters.q, tags: [], text: '' });
            }}
            disabled={filters.tags.length === 0 && filters.text === ''}
          >
            {t('filter.clear')}
          </Button>
        </Form.Item>
      </Space>
    </Form>
  );
}
