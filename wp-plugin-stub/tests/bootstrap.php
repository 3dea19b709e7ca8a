<?php
/**
 * PHPUnit bootstrap: fake WordPress and WooCommerce, then the plugin.
 *
 * @package Fortnox_Sidecar\Tests
 */

// phpcs:disable

define( 'ABSPATH', dirname( __DIR__ ) . '/' );

require_once __DIR__ . '/shims/wordpress.php';
require_once __DIR__ . '/shims/woocommerce.php';

Fortnox_Test_WP::reset();
Fortnox_Test_WC::reset();

require_once dirname( __DIR__ ) . '/fortnox-sidecar.php';

require_once __DIR__ . '/class-fortnox-sidecar-test-case.php';
