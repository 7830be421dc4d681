import { App, Button, Col, Drawer, Form, Input, InputNumber, Radio, Row, Select, Switch } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.js';
import { fieldErrors } from '../../api/field-errors.js';
import { type GroupChatDto, type JoinWayDto, useJoinWayActions } from '../../api/group-chats.js';

/** What the drawer is open for: a new join way, or a saved one to change. */
export type JoinWayTarget = { mode: 'new' } | { mode: 'edit'; way: JoinWayDto };

type Draft = Omit<JoinWayDto, 'configId' | 'qrCode' | 'createdAt'>;

const emptyDraft: Draft = { scene: 'qrcode', remark: '', autoCreateRoom: true, roomBaseName: '', roomBaseId: 1, chatIdList: [], state: '' };
const fields = ['scene', 'remark', 'autoCreateRoom', 'roomBaseName', 'roomBaseId', 'chatIdList', 'state'] as const;
type Field = (typeof fields)[number];

/** The join way editor: 1–5 chats, `state`, remark, and the chats WeCom opens when the last one is full. */
export function JoinWayDrawer({ target, chats, onClose }: { target: JoinWayTarget | null; chats: GroupChatDto[]; onClose: () => void }) {
  const { t } = useTranslation('inputs');
  const { message } = App.useApp();
  const actions = useJoinWayActions();
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [problems, setProblems] = useState<Partial<Record<Field, string>>>({});
  const editing = target?.mode === 'edit' ? target.way : undefined;
  useEffect(() => {
    setProblems({});
    setDraft(
      editing
        ? {
            scene: editing.scene,
            remark: editing.remark,
            autoCreateRoom: editing.autoCreateRoom,
            roomBaseName: editing.roomBaseName,
            roomBaseId: editing.roomBaseId,
            chatIdList: editing.chatIdList,
            state: editing.state,
          }
        : emptyDraft,
    );
  }, [target === null ? null : (editing?.configId ?? 'new')]); // eslint-disable-line react-hooks/exhaustive-deps
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const problem = (field: Field) => (problems[field] ? { validateStatus: 'error' as const, help: problems[field] } : {});

  const save = async () => {
    const body = { ...draft, remark: draft.remark.trim(), state: draft.state.trim(), roomBaseName: draft.roomBaseName.trim() };
    try {
      if (editing) await actions.update.mutateAsync({ configId: editing.configId, changes: body });
      else await actions.create.mutateAsync(body);
      message.success(t('joinWays.saved'));
      onClose();
    } catch (error) {
      const placed = fieldErrors(error, [...fields, 'chat_id_list'] as const);
      setProblems(Object.fromEntries(placed.map((f) => [f.name === 'chat_id_list' ? 'chatIdList' : f.name, f.errors.join(' ')])));
      if (placed.length === 0) message.error(errorText(error));
    }
  };

  return (
    <Drawer
      open={target !== null}
      onClose={onClose}
      width="min(640px, 96vw)"
      title={editing ? t('joinWays.editTitle', { name: editing.remark || editing.configId }) : t('joinWays.newTitle')}
      destroyOnHidden
      extra={
        <Button
          type="primary"
          onClick={() => void save()}
          loading={actions.create.isPending || actions.update.isPending}
          disabled={draft.chatIdList.length === 0}
        >
          {t('common:save')}
        </Button>
      }
    >
      <Form layout="vertical">
        <Form.Item label={t('joinWays.field.scene')} {...problem('scene')}>
          <Radio.Group
            value={draft.scene}
            onChange={(e) => set({ scene: e.target.value })}
            options={[
              { value: 'qrcode', label: t('contactWays.scene.qrcode') },
              { value: 'miniprogram', label: t('contactWays.scene.miniprogram') },
            ]}
          />
        </Form.Item>
        <Form.Item label={t('joinWays.field.chatIdList')} required extra={t('joinWays.help.chatIdList')} {...problem('chatIdList')}>
          <Select
            mode="multiple"
            showSearch
            optionFilterProp="label"
            aria-label={t('joinWays.field.chatIdList')}
            value={draft.chatIdList}
            maxCount={5}
            options={chats.map((c) => ({ value: c.chatId, label: `${c.name || t('chats.unnamed')} (${c.chatId})` }))}
            onChange={(chatIdList: string[]) => set({ chatIdList })}
          />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item label={t('joinWays.field.state')} extra={t('joinWays.help.state')} {...problem('state')}>
              <Input aria-label={t('joinWays.field.state')} value={draft.state} maxLength={30} showCount onChange={(e) => set({ state: e.target.value })} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item label={t('joinWays.field.remark')} {...problem('remark')}>
              <Input aria-label={t('joinWays.field.remark')} value={draft.remark} maxLength={30} showCount onChange={(e) => set({ remark: e.target.value })} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label={t('joinWays.field.autoCreateRoom')} {...problem('autoCreateRoom')}>
          <Switch aria-label={t('joinWays.field.autoCreateRoom')} checked={draft.autoCreateRoom} onChange={(autoCreateRoom) => set({ autoCreateRoom })} />
        </Form.Item>
        {draft.autoCreateRoom && (
          <Row gutter={16}>
            <Col xs={24} md={16}>
              <Form.Item label={t('joinWays.field.roomBaseName')} {...problem('roomBaseName')}>
                <Input
                  aria-label={t('joinWays.field.roomBaseName')}
                  value={draft.roomBaseName}
                  maxLength={40}
                  onChange={(e) => set({ roomBaseName: e.target.value })}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item label={t('joinWays.field.roomBaseId')} {...problem('roomBaseId')}>
                <InputNumber
                  aria-label={t('joinWays.field.roomBaseId')}
                  min={0}
                  precision={0}
                  style={{ width: '100%' }}
                  value={draft.roomBaseId}
                  onChange={(v) => set({ roomBaseId: v ?? 0 })}
                />
              </Form.Item>
            </Col>
          </Row>
        )}
      </Form>
    </Drawer>
  );
}
