import type { IDataObject } from 'n8n-workflow';

/**
 * What the node keeps in its static data about the webhook it registered in Halo. The password
 * itself is sent to Halo once and forgotten: only its SHA-256 stays, which is all the receiver needs.
 */
export interface StoredRegistration {
	webhookId: string;
	url: string;
	username: string;
	/** hex SHA-256 of the Basic password; empty for a record written before digests were kept */
	passwordDigest: string;
	/** How HaloPSA took the events: on the webhook (`events[]`), or as `/Notification` rows. */
	subscription: SubscriptionForm;
	/** The `/Notification` rows the node created (deleted with the webhook). */
	notificationIds: number[];
}

export type SubscriptionForm = 'webhookEvents' | 'notifications';

/** Written by versions that kept the password itself; removed whenever the registration is written. */
const LEGACY_PASSWORD_KEY = 'basicPassword';

export function readRegistration(staticData: IDataObject): StoredRegistration | undefined {
	const { webhookId, webhookUrl, basicUsername, basicPasswordSha256, subscription, notificationIds } = staticData;
	if (typeof webhookId !== 'string') return undefined;
	return {
		webhookId,
		url: String(webhookUrl ?? ''),
		username: typeof basicUsername === 'string' ? basicUsername : '',
		passwordDigest: typeof basicPasswordSha256 === 'string' ? basicPasswordSha256 : '',
		subscription: subscription === 'notifications' ? 'notifications' : 'webhookEvents',
		notificationIds: Array.isArray(notificationIds) ? notificationIds.filter((id): id is number => Number.isSafeInteger(id)) : [],
	};
}

export function writeRegistration(staticData: IDataObject, registration: StoredRegistration): void {
	staticData.webhookId = registration.webhookId;
	staticData.webhookUrl = registration.url;
	staticData.basicUsername = registration.username;
	staticData.basicPasswordSha256 = registration.passwordDigest;
	staticData.subscription = registration.subscription;
	staticData.notificationIds = registration.notificationIds;
	delete staticData[LEGACY_PASSWORD_KEY];
}

export function clearRegistration(staticData: IDataObject): void {
	delete staticData.webhookId;
	delete staticData.webhookUrl;
	delete staticData.basicUsername;
	delete staticData.basicPasswordSha256;
	delete staticData.subscription;
	delete staticData.notificationIds;
	delete staticData[LEGACY_PASSWORD_KEY];
}
