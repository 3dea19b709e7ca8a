<?php
/**
 * Install a throw-away WordPress and activate the plugin, from the command line.
 *
 * Usage: php setup-site.php <site root> <password>
 *
 * The site's wp-config.php (database, WP_HOME) is written beforehand. Prints the user IDs as
 * JSON: the administrator, a shop manager and an editor. WooCommerce is not installed, so the
 * capability it gives administrators and shop managers, manage_woocommerce, is added here the
 * way WooCommerce's installer adds it.
 */

if ( 3 !== $argc ) {
	fwrite( STDERR, "usage: php setup-site.php <site root> <password>\n" );
	exit( 2 );
}
list( , $root, $password ) = $argv;

define( 'WP_INSTALLING', true );
require $root . '/wp-load.php';

// The installer mails the new administrator; there is no mail here.
function wp_new_blog_notification( $blog_title, $blog_url, $user_id, $password ) {}

require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

$installed = wp_install( 'Fortnox test shop', 'admin', 'admin@example.com', false, '', $password );
if ( empty( $installed['user_id'] ) ) {
	fwrite( STDERR, "wp_install did not create the administrator\n" );
	exit( 1 );
}

get_role( 'administrator' )->add_cap( 'manage_woocommerce' );
add_role(
	'shop_manager',
	'Shop manager',
	array(
		'read'               => true,
		'manage_woocommerce' => true,
	)
);

$users = array( 'admin' => (int) $installed['user_id'] );
foreach ( array( 'shop_manager', 'editor' ) as $role ) {
	$id = wp_insert_user(
		array(
			'user_login' => $role,
			'user_pass'  => $password,
			'user_email' => $role . '@example.com',
			'role'       => $role,
		)
	);
	if ( is_wp_error( $id ) ) {
		fwrite( STDERR, "creating the $role failed: " . $id->get_error_message() . "\n" );
		exit( 1 );
	}
	$users[ $role ] = (int) $id;
}

$activated = activate_plugin( 'fortnox-sidecar/fortnox-sidecar.php' );
if ( is_wp_error( $activated ) ) {
	fwrite( STDERR, 'activating the plugin failed: ' . $activated->get_error_message() . "\n" );
	exit( 1 );
}

echo wp_json_encode( $users ), "\n";
