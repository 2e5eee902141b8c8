import type { IDataObject } from 'n8n-workflow';

/** What the node keeps in its static data about the webhook it registered in Halo. */
export interface StoredRegistration {
	webhookId: string;
	url: string;
	username: string;
	password: string;
}

export function readRegistration(staticData: IDataObject): StoredRegistration | undefined {
	const { webhookId, webhookUrl, basicUsername, basicPassword } = staticData;
	if (typeof webhookId !== 'string' || typeof basicUsername !== 'string' || typeof basicPassword !== 'string') {
		return undefined;
	}
	return { webhookId, url: String(webhookUrl ?? ''), username: basicUsername, password: basicPassword };
}

export function writeRegistration(staticData: IDataObject, registration: StoredRegistration): void {
	staticData.webhookId = registration.webhookId;
	staticData.webhookUrl = registration.url;
	staticData.basicUsername = registration.username;
	staticData.basicPassword = registration.password;
}

export function clearRegistration(staticData: IDataObject): void {
	delete staticData.webhookId;
	delete staticData.webhookUrl;
	delete staticData.basicUsername;
	delete staticData.basicPassword;
}
