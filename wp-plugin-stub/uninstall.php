<?php
/**
 * Uninstall: delete the plugin's webhooks and options.
 *
 * WordPress runs this file when the plugin is deleted from the Plugins screen.
 *
 * @package Fortnox_Sidecar
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

require_once __DIR__ . '/includes/class-fortnox-sidecar-settings.php';
require_once __DIR__ . '/includes/class-fortnox-sidecar-webhooks.php';

Fortnox_Sidecar_Webhooks::delete_stored();

delete_option( Fortnox_Sidecar_Settings::OPTION_WEBHOOK_IDS );
delete_option( Fortnox_Sidecar_Settings::OPTION_URL );
delete_option( Fortnox_Sidecar_Settings::OPTION_SECRET );
