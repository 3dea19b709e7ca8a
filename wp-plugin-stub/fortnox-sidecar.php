<?php
/**
 * Plugin Name:          Fortnox Sidecar Connector
 * Description:          Points WooCommerce's webhooks at the Fortnox sidecar service, links the shop owner to the sidecar's settings page and shows Fortnox document numbers on orders.
 * Version:              0.1.0
 * Requires at least:    5.9
 * Requires PHP:         7.4
 * Requires Plugins:     woocommerce
 * WC requires at least: 7.1
 * Author:               Fortnox sidecar project
 * License:              GPL-2.0-or-later
 * License URI:          https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:          fortnox-sidecar
 * Domain Path:          /languages
 *
 * @package Fortnox_Sidecar
 */

defined( 'ABSPATH' ) || exit;

define( 'FORTNOX_SIDECAR_VERSION', '0.1.0' );
define( 'FORTNOX_SIDECAR_FILE', __FILE__ );

require_once __DIR__ . '/includes/class-fortnox-sidecar-signature.php';
require_once __DIR__ . '/includes/class-fortnox-sidecar-settings.php';
require_once __DIR__ . '/includes/class-fortnox-sidecar-webhooks.php';
require_once __DIR__ . '/includes/class-fortnox-sidecar-http-access.php';
require_once __DIR__ . '/includes/class-fortnox-sidecar-admin-link.php';
require_once __DIR__ . '/includes/class-fortnox-sidecar-orders.php';
require_once __DIR__ . '/includes/class-fortnox-sidecar-plugin.php';

/**
 * The plugin's single wiring object.
 *
 * @return Fortnox_Sidecar_Plugin
 */
function fortnox_sidecar() {
	static $plugin = null;

	if ( null === $plugin ) {
		$plugin = new Fortnox_Sidecar_Plugin( FORTNOX_SIDECAR_FILE );
	}

	return $plugin;
}

fortnox_sidecar()->register();

register_activation_hook( __FILE__, array( fortnox_sidecar(), 'activate' ) );
register_deactivation_hook( __FILE__, array( fortnox_sidecar(), 'deactivate' ) );
