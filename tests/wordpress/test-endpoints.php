<?php
/**
 * Test endpoints, installed as a must-use plugin in the throw-away WordPress only.
 *
 * admin-ajax.php?action=fortnox_test_nonce&for=ACTION
 *     A nonce for ACTION made for the signed-in user, so a test can show that a user
 *     with a valid nonce but without the capability is still refused.
 * admin-ajax.php?action=fortnox_test_post&url=URL&safe=1
 *     POST a WooCommerce-style ping (`webhook_id=0`) to URL from inside WordPress, with
 *     wp_safe_remote_post() (safe=1, as WooCommerce delivers) or wp_remote_post() (safe=0),
 *     and answer with the status or the WP_Error. Administrators only.
 */

add_action(
	'wp_ajax_fortnox_test_nonce',
	function () {
		$action = isset( $_GET['for'] ) ? sanitize_text_field( wp_unslash( $_GET['for'] ) ) : '';
		wp_send_json( array( 'nonce' => wp_create_nonce( $action ) ) );
	}
);

add_action(
	'wp_ajax_fortnox_test_post',
	function () {
		if ( ! current_user_can( 'manage_options' ) ) {
			wp_send_json( array( 'error' => 'not allowed' ), 403 );
		}
		$url      = isset( $_GET['url'] ) ? esc_url_raw( wp_unslash( $_GET['url'] ) ) : '';
		$args     = array(
			'body'    => array( 'webhook_id' => 0 ),
			'timeout' => 10,
		);
		$response = ! empty( $_GET['safe'] ) ? wp_safe_remote_post( $url, $args ) : wp_remote_post( $url, $args );
		if ( is_wp_error( $response ) ) {
			wp_send_json(
				array(
					'error_code'    => $response->get_error_code(),
					'error_message' => $response->get_error_message(),
				)
			);
		}
		wp_send_json(
			array(
				'status' => wp_remote_retrieve_response_code( $response ),
				'body'   => wp_remote_retrieve_body( $response ),
			)
		);
	}
);
