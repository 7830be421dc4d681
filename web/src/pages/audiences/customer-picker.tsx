import { Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCustomerSearch } from '../../api/customer-list.js';
import { useDebounced } from '../../components/use-debounced.js';

/** A picked customer: the id the server knows and the name the user saw. */
export type PickedCustomer = { externalUserid: string; name: string };

/**
 * Picks one customer by typing part of their name (or their exact external_userid), searched on
 * the server once the typing pauses, like the quick jump; each option shows who follows them so
 * two customers with one name can be told apart.
 */
export function CustomerPicker({ id, value, onChange }: { id: string; value: PickedCustomer | undefined; onChange: (c: PickedCustomer | undefined) => void }) {
  const { t } = useTranslation('audiences');
  const [query, setQuery] = useState('');
  const settled = useDebounced(query.trim(), 250);
  const found = useCustomerSearch(settled);
  const customers = settled === '' ? [] : (found.data ?? []);
  return (
    <Select
      id={id}
      showSearch={{ filterOption: false, onSearch: setQuery }}
      allowClear
      labelInValue
      aria-label={t('explain.customer')}
      placeholder={t('explain.customerPlaceholder')}
      loading={found.isFetching}
      value={value ? { value: value.externalUserid, label: value.name } : undefined}
      onChange={(picked: { value: string; label: string } | undefined) =>
        onChange(
          picked ? { externalUserid: picked.value, name: customers.find((c) => c.externalUserid === picked.value)?.name ?? String(picked.label) } : undefined,
        )
      }
      notFoundContent={settled === '' ? t('explain.typeToSearch') : found.isFetching ? t('explain.searching') : t('explain.noCustomer')}
      options={customers.map((c) => ({
        value: c.externalUserid,
        label: c.name,
        followers: c.followers.map((f) => f.name).join('、'),
        place: [c.province, c.city].filter(Boolean).join(' '),
      }))}
      optionRender={(option) => (
        <span data-testid="customer-option">
          {option.data.label}
          <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 8 }}>
            {[option.data.place, option.data.followers && t('explain.followedBy', { names: option.data.followers })].filter(Boolean).join(' · ')}
          </Typography.Text>
        </span>
      )}
      style={{ width: 'min(360px, 100%)' }}
    />
  );
}
